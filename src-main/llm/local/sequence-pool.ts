/** What the pool needs from a native sequence (node-llama-cpp's `LlamaContextSequence` fits). */
export interface PooledSequence {
  /** Forgets every evaluated token (the KV cells are freed for the next owner). */
  clearHistory(): Promise<void>;
}

/** Gives the pool new sequences and tells it how many are left. */
export interface SequenceSource<S extends PooledSequence> {
  /** A fresh sequence, or undefined when the context has none left. */
  create(): S | undefined;
}

interface Entry<S> {
  key: string;
  sequence: S;
  /** Resolves when the current holder releases the sequence (one generation per sequence at a time). */
  busy: Promise<void> | undefined;
  lastUsed: number;
}

/** A checked-out sequence. Call `release()` exactly once, when generation is over. */
export interface SequenceLease<S> {
  sequence: S;
  /** True when the sequence was taken from another key (its cached tokens are gone). */
  recycled: boolean;
  release(): void;
}

/**
 * One sequence per key (author id), kept between turns so an author's next turn can reuse the KV
 * cache of the text it already evaluated. When the context has no free sequence, the least
 * recently used idle one is cleared and handed over (LRU eviction); when all are busy, callers wait.
 */
export class SequencePool<S extends PooledSequence> {
  private readonly entries = new Map<string, Entry<S>>();
  /** Cleared sequences given up by `evict`, handed out before creating or recycling one. */
  private readonly free: S[] = [];
  private readonly waiters: Array<() => void> = [];
  private clock = 0;

  constructor(private readonly source: SequenceSource<S>) {}

  /** Number of keys that currently own a sequence. */
  get size(): number {
    return this.entries.size;
  }

  /** Keys that own a sequence, least recently used first. */
  keys(): string[] {
    return [...this.entries.values()].sort((a, b) => a.lastUsed - b.lastUsed).map((e) => e.key);
  }

  /** The sequence owned by `key`, without checking it out (for inspection). */
  peek(key: string): S | undefined {
    return this.entries.get(key)?.sequence;
  }

  /**
   * Checks out `key`'s sequence, creating or recycling one if needed. Waits while that sequence is
   * busy, or while every sequence is busy. Aborting `signal` rejects with the signal's reason.
   */
  async acquire(key: string, signal?: AbortSignal): Promise<SequenceLease<S>> {
    for (;;) {
      signal?.throwIfAborted();
      const own = this.entries.get(key);
      if (own) {
        if (own.busy) {
          await abortable(own.busy, signal);
          continue;
        }
        return this.checkout(own, false);
      }
      const fresh = this.free.pop() ?? this.source.create();
      if (fresh) {
        const entry: Entry<S> = { key, sequence: fresh, busy: undefined, lastUsed: 0 };
        this.entries.set(key, entry);
        return this.checkout(entry, false);
      }
      const victim = this.lruIdle();
      if (victim) {
        this.entries.delete(victim.key);
        const entry: Entry<S> = { key, sequence: victim.sequence, busy: undefined, lastUsed: 0 };
        this.entries.set(key, entry);
        const lease = this.checkout(entry, true);
        try {
          await victim.sequence.clearHistory();
        } catch (e) {
          lease.release();
          throw e;
        }
        return lease;
      }
      await abortable(new Promise<void>((resolve) => this.waiters.push(resolve)), signal);
    }
  }

  /**
   * Drops `key`'s cached tokens (e.g. under memory pressure or when its text was rewritten). The
   * cleared sequence stays allocated and goes to the next new key. Waits for a running generation
   * on it to end first. Returns false when `key` held no sequence.
   */
  async evict(key: string): Promise<boolean> {
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (entry.busy) await entry.busy;
    if (this.entries.get(key) !== entry || entry.busy) return false;
    this.entries.delete(key);
    try {
      await entry.sequence.clearHistory();
    } finally {
      this.free.push(entry.sequence);
      this.waiters.splice(0).forEach((wake) => wake());
    }
    return true;
  }

  private checkout(entry: Entry<S>, recycled: boolean): SequenceLease<S> {
    let done!: () => void;
    entry.busy = new Promise<void>((resolve) => (done = resolve));
    entry.lastUsed = ++this.clock;
    let released = false;
    return {
      sequence: entry.sequence,
      recycled,
      release: () => {
        if (released) return;
        released = true;
        entry.busy = undefined;
        entry.lastUsed = ++this.clock;
        done();
        this.waiters.splice(0).forEach((wake) => wake());
      },
    };
  }

  private lruIdle(): Entry<S> | undefined {
    let best: Entry<S> | undefined;
    for (const e of this.entries.values()) if (!e.busy && (!best || e.lastUsed < best.lastUsed)) best = e;
    return best;
  }
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
