import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, type TRPCClientError } from '@trpc/client';
import { ipcLink } from 'trpc-electron/renderer';
import type { AppRouter } from '../../../src-main/api/router';
import type { ApiErrorData } from '../../../src-main/api/trpc';

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/**
 * The one client every component uses. The transport is picked once here: Electron IPC when the
 * preload exposed it, otherwise HTTP for calls and a WebSocket for subscriptions (browser mode;
 * the per-launch token goes with every call, see browserToken).
 */
function createClient(): ApiClient {
  if ((globalThis as { electronTRPC?: unknown }).electronTRPC) {
    return createTRPCClient<AppRouter>({ links: [ipcLink()] });
  }
  const token = browserToken();
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const ws = createWSClient({ url: wsUrl, retryDelayMs: (n) => Math.min(10_000, 500 * 2 ** n) });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: ws }),
        false: httpBatchLink({ url: `${location.origin}/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) }),
      }),
    ],
  });
}

/**
 * Browser mode's token: taken from the launch URL (`/?token=…`), which it then leaves, and kept in
 * localStorage, which belongs to this origin (port included). Not a cookie: cookies are sent to
 * every port of 127.0.0.1, so any local server the browser visits would receive it.
 */
function browserToken(): string {
  const url = new URL(location.href);
  const given = url.searchParams.get('token');
  if (given) {
    localStorage.setItem('palimpsest.token', given);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  return given ?? localStorage.getItem('palimpsest.token') ?? '';
}

export const api: ApiClient = createClient();

/**
 * The server's error data, wherever it sits: over IPC, trpc-electron's own copy of TRPCClientError
 * arrives wrapped as the `cause` of @trpc/client's.
 */
function errorData(e: unknown): Partial<ApiErrorData> | undefined {
  for (
    let x = e as TRPCClientError<AppRouter> | undefined, depth = 0;
    x && depth < 5;
    x = x.cause as typeof x, depth++
  ) {
    const data = x.data as Partial<ApiErrorData> | undefined;
    if (data?.appCode || data?.userMessage) return data;
  }
  return undefined;
}

/** The message to show a user for any failed call. */
export function errorMessage(e: unknown): string {
  const data = errorData(e);
  if (data?.userMessage) return data.userMessage;
  if (e instanceof Error)
    return e.message.includes('fetch') ? 'Palimpsest is not reachable. Is the server still running?' : e.message;
  return String(e);
}

export function errorCode(e: unknown): string | undefined {
  return errorData(e)?.appCode;
}
