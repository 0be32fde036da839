import os from 'node:os';
import type { CatalogEntry } from './catalog-entry';

/** Whether a model is likely to fit in memory right now. */
export interface MemoryFit {
  /** Estimated resident bytes: weights + KV cache for `contextTokens` + runtime overhead. */
  neededBytes: number;
  /** `os.freemem()` at the time of the check (or the value passed in). */
  freeBytes: number;
  contextTokens: number;
  /** needed <= free. */
  fits: boolean;
  /** Fits, but with under 20 % to spare: the rest of the system may start swapping. */
  tight: boolean;
}

/**
 * Rough memory need of running `entry` with a `contextTokens` window (default 4096). Weights are
 * memory-mapped, so the file size counts in full; compute buffers add roughly 10 % + 150 MB.
 */
export function estimateMemory(
  entry: Pick<CatalogEntry, 'sizeBytes' | 'kvBytesPerToken' | 'contextLength'>,
  contextTokens = 4096,
): number {
  const ctx = Math.min(contextTokens, entry.contextLength);
  return Math.round(entry.sizeBytes * 1.1 + entry.kvBytesPerToken * ctx + 150 * 1024 * 1024);
}

/** Compares `estimateMemory` with free memory (default `os.freemem()`). */
export function checkMemoryFit(
  entry: Pick<CatalogEntry, 'sizeBytes' | 'kvBytesPerToken' | 'contextLength'>,
  options: { contextTokens?: number; freeBytes?: number } = {},
): MemoryFit {
  const contextTokens = Math.min(options.contextTokens ?? 4096, entry.contextLength);
  const neededBytes = estimateMemory(entry, contextTokens);
  const freeBytes = options.freeBytes ?? os.freemem();
  return {
    neededBytes,
    freeBytes,
    contextTokens,
    fits: neededBytes <= freeBytes,
    tight: neededBytes <= freeBytes && neededBytes > freeBytes * 0.8,
  };
}
