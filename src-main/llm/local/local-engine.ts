import { availableParallelism } from 'node:os';
import type { Llama } from 'node-llama-cpp';

/** Creates the llama.cpp root. Tests inject one to count or fake it; the default calls `getLlama`. */
export type LlamaLoader = (options: { maxThreads: number }) => Promise<Llama>;

export interface LocalEngineOptions {
  /** Default: node-llama-cpp's `getLlama` with its shipped CPU build, `import()`ed on first use. */
  loadLlama?: LlamaLoader;
  /** Most CPU threads any context may use (default: half the logical cores, at least 1). */
  maxThreads?: number;
}

/**
 * The root of the local engine: the one `Llama` that every model, context and sequence hangs below
 * (node-llama-cpp's ownership chain). Generation, LM-assisted scoring and the CLI all take it from
 * here, so `getLlama` runs once per process and nothing native loads before a local model is used.
 *
 * Users `retain()` it and `release()` it when done; the last release disposes the `Llama` (and with
 * it every model still loaded), and a later `retain()` starts a fresh one.
 */
export class LocalEngine {
  readonly maxThreads: number;
  private llama: Promise<Llama> | undefined;
  private users = 0;

  constructor(private readonly options: LocalEngineOptions = {}) {
    this.maxThreads = Math.max(1, Math.floor(options.maxThreads ?? availableParallelism() / 2));
  }

  /** Users holding the engine now. */
  get retained(): number {
    return this.users;
  }

  /** The `Llama`, created on the first call; pair every call that resolves with one `release()`. */
  retain(): Promise<Llama> {
    this.users++;
    this.llama ??= (this.options.loadLlama ?? loadShippedLlama)({ maxThreads: this.maxThreads });
    const current = this.llama;
    // A failed start holds nothing (no release needed) and is not kept: the next retain tries again.
    return current.catch((e: unknown) => {
      this.users--;
      if (this.llama === current) this.llama = undefined;
      throw e;
    });
  }

  /** Gives back one `retain()`; the last one disposes the `Llama`. Extra calls are ignored. */
  async release(): Promise<void> {
    if (this.users === 0) return;
    this.users--;
    if (this.users > 0 || !this.llama) return;
    const llama = this.llama;
    this.llama = undefined;
    await (await llama.catch(() => undefined))?.dispose();
  }
}

/** node-llama-cpp's prebuilt CPU binding; never compiled from source at run time. */
const loadShippedLlama: LlamaLoader = async ({ maxThreads }) => {
  // Dynamic: importing node-llama-cpp takes seconds and loads a native binding.
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  return getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.warn, maxThreads });
};

let shared: LocalEngine | undefined;

/** This process's engine root, used by every local provider and scorer not given another one. */
export function sharedLocalEngine(): LocalEngine {
  shared ??= new LocalEngine();
  return shared;
}
