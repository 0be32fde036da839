import type { Disposable, Listener } from '../core/events';

/**
 * Adapts a core event to the async iterator tRPC subscriptions consume. Buffers a bounded number
 * of values (oldest dropped) so a slow client cannot grow memory without limit.
 */
export async function* eventStream<T>(
  subscribe: (listener: Listener<T>) => Disposable,
  signal: AbortSignal | undefined,
  filter: (value: T) => boolean = () => true,
  maxBuffered = 1000,
): AsyncGenerator<T> {
  const queue: T[] = [];
  let wake: (() => void) | null = null;
  const dispose = subscribe((v) => {
    if (!filter(v)) return;
    if (queue.length >= maxBuffered) queue.shift();
    queue.push(v);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    while (!signal?.aborted) {
      if (queue.length === 0) await new Promise<void>((r) => (wake = r));
      wake = null;
      while (queue.length > 0) yield queue.shift()!;
    }
  } finally {
    dispose();
    signal?.removeEventListener('abort', onAbort);
  }
}
