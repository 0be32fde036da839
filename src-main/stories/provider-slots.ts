import type { ProviderRef } from '../llm/endpoints/endpoint-types';

/** Stories one OpenAI-compatible endpoint serves at once (a vLLM server batches them). */
export const STORIES_PER_ENDPOINT = 4;

/**
 * How many stories may run at once on a provider: 1 on the local engine and Ollama (one machine,
 * and the local engine's KV sequences are per story), STORIES_PER_ENDPOINT per endpoint, and that
 * times the members of a pool (its least-in-flight routing then spreads stories over them).
 */
export function storySlots(ref: ProviderRef | null, poolSize: (name: string) => number): number {
  if (ref === null || ref === 'local' || ref === 'ollama') return 1;
  if (ref.startsWith('pool:')) return Math.max(1, poolSize(ref.slice('pool:'.length))) * STORIES_PER_ENDPOINT;
  return STORIES_PER_ENDPOINT;
}

/** A counting semaphore whose waiters are served in arrival order (stories start in batch order). */
export class Slots {
  private used = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.used < this.size) {
      this.used++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(wake);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(wake);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter (used stays the same).
      if (next) next();
      else this.used--;
    };
  }
}
