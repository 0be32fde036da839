import type { createTRPCClient } from '@trpc/client';
import type { AppRouter } from '../../../src-main/api';
import { procedureType, walk, type CallResult } from './transport';

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

/**
 * The server's error data as a client sees it. Over IPC, trpc-electron bundles its own
 * TRPCClientError, which @trpc/client wraps as the `cause` of its own: walk the chain.
 */
export function errorData(e: unknown): Record<string, unknown> | undefined {
  for (let x = e as { data?: Record<string, unknown>; cause?: unknown } | undefined; x; x = x.cause as typeof x) {
    if (x.data) return x.data;
  }
  return undefined;
}

/** A call through a tRPC client, with the error as the client sees it (`data.code`, `data.userMessage`). */
export async function clientCall(client: Client, path: string, input: unknown): Promise<CallResult> {
  const node = walk(client, path);
  try {
    const data = procedureType(path) === 'query' ? await node.query!(input) : await node.mutate!(input);
    return { ok: true, data };
  } catch (e) {
    const data = errorData(e);
    if (!data) throw e;
    return { ok: false, code: String(data.code), message: String(data.userMessage) };
  }
}

/**
 * Follows a subscription through a tRPC client. Resolves once the server has started it (or after
 * 300 ms for links that do not report the start), so events after that are not missed.
 */
export async function clientSubscribe(
  client: Client,
  path: string,
  onData: (value: unknown) => void,
): Promise<() => void> {
  let started: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    started = resolve;
    setTimeout(resolve, 300);
  });
  const sub = walk(client, path).subscribe!(undefined, { onStarted: () => started(), onData }) as {
    unsubscribe(): void;
  };
  await ready;
  return () => sub.unsubscribe();
}
