/**
 * A small counting semaphore: at most `limit` holders at once, FIFO for waiters. Used to cap
 * concurrent requests per provider so a pool of writers cannot flood one local server.
 */
export class Semaphore {
  private held = 0;
  private readonly waiters: Array<{ grant: () => void; reject: (e: unknown) => void }> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`Semaphore limit must be >= 1, got ${limit}`);
  }

  /** Holders right now. */
  get inUse(): number {
    return this.held;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Waits for a slot and returns its release function (call it exactly once; extra calls are
   * ignored). Rejects with `signal.reason` if the signal aborts while waiting.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.held < this.limit) {
      this.held++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.held++;
          resolve(this.releaser());
        },
        reject,
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i !== -1) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      this.waiters.shift()?.grant();
    };
  }
}
