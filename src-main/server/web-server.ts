import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { appRouter } from '../api';
import { MAX_REQUEST_BYTES } from '../api/request-size';
import type { App } from '../app';
import { refuseDeclaredOversize } from './body-limit';
import { checkOrigin, checkRequest } from './request-guard';
import { parseRequestTarget } from './request-url';
import { serveStatic } from './static-files';

export interface WebServerOptions {
  app: App;
  /** Built renderer (index.html + assets). Without it only the API is served. */
  rendererDir?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; by default a random one per launch. */
  token?: string;
  /** Largest request body / WebSocket message in bytes; MAX_REQUEST_BYTES by default (tests lower it). */
  maxRequestBytes?: number;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** Opening this URL in a browser logs it in (the page keeps the token in its origin's storage). */
  readonly url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Browser mode: the same tRPC router over HTTP (calls) and WebSocket (subscriptions), bound to
 * 127.0.0.1 only. Every API call must carry the per-launch token and a loopback Host/Origin
 * (request-guard.ts: why there is no cookie), bodies are capped while they stream in (body-limit.ts), and a request the
 * server cannot parse gets 400: nothing a client sends may end the process.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    // Chunked bodies have no Content-Length: tRPC counts the bytes and stops reading at the limit.
    maxBodySize: maxBytes,
    responseMeta: ({ errors }) =>
      errors.some((e) => e.code === 'PAYLOAD_TOO_LARGE') ? { headers: { connection: 'close' } } : {},
    createContext: () => ({ app: options.app, transport: 'http' as const }),
  });
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBytes });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: () => ({ app: options.app, transport: 'ws' as const }),
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
  });
  let port = 0;

  const handleRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = parseRequestTarget(req.url);
    if (!url) {
      sendJson(res, 400, 'Bad request URL.');
      return;
    }
    if (url.pathname.startsWith('/trpc/')) {
      const verdict = checkRequest(req, url, port, token);
      if (verdict !== 'ok') {
        sendJson(res, verdict, verdict === 401 ? 'Missing or wrong token.' : 'Forbidden host or origin.');
        return;
      }
      if (!refuseDeclaredOversize(req, res, maxBytes)) trpcHandler(req, res);
      return;
    }
    // The app's own files hold no user data, so they need no token: the page loaded from the
    // launch URL (`/?token=…`) takes the token from its address and sends it with every call.
    if (!checkOrigin(req, port)) {
      sendJson(res, 403, 'Forbidden host or origin.');
      return;
    }
    serveStatic(options.rendererDir, url.pathname, res);
  };

  server.on('request', (req, res) => {
    try {
      handleRequest(req, res);
    } catch (e) {
      // A bug in a handler answers 500; it never takes the server (and the user's session) down.
      console.error('[palimpsest] request failed:', e);
      if (!res.headersSent) sendJson(res, 500, 'Something went wrong inside Palimpsest.');
      else res.destroy();
    }
  });

  server.on('upgrade', (req, socket, head) => {
    const url = parseRequestTarget(req.url);
    const verdict = url ? checkRequest(req, url, port, token) : 400;
    if (verdict !== 'ok' || url?.pathname !== '/ws') {
      socket.end(`HTTP/1.1 ${verdict === 'ok' ? 404 : verdict} Rejected\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    async close() {
      wsHandler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function sendJson(res: http.ServerResponse, status: number, error: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error }));
}
