import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import type { AppRouter } from '../../../src-main/api';
import { createApp } from '../../../src-main/app';
import { startWebServer } from '../../../src-main/server';
import { tempDir } from '../temp-dir';
import { clientCall, clientSubscribe } from './trpc-client';
import type { Transport } from './transport';

/** Browser mode over a real loopback socket: calls over HTTP, subscriptions over WebSocket (as the UI). */
export async function httpWsTransport(): Promise<Transport> {
  const app = createApp({ dataDir: tempDir() });
  const server = await startWebServer({ app });
  const wsClient = createWSClient({
    url: `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
    WebSocket: WebSocket as never,
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({
          url: `http://127.0.0.1:${server.port}/trpc`,
          headers: () => ({ authorization: `Bearer ${server.token}` }),
        }),
      }),
    ],
  });
  return {
    name: 'HTTP + WebSocket',
    contextName: 'http',
    supports: () => true,
    failureCode: (code) => code,
    call: (path, input) => clientCall(client, path, input),
    subscribe: (path, onData) => clientSubscribe(client, path, onData),
    async close() {
      await wsClient.close();
      await server.close();
      await app.dispose();
    },
  };
}
