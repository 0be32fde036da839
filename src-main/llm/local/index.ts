/**
 * The local llama.cpp engine (node-llama-cpp, in-process) behind `LlmProvider`.
 *
 * Ownership follows node-llama-cpp's chain: `LocalEngine` (the process's one `Llama`, `local-engine.ts`)
 * → `LocalProvider` over a models folder → `LocalModel` per loaded
 * GGUF (model + one context, `local-model.ts`) → `SequencePool` (one KV-cache sequence per author,
 * LRU-recycled, `sequence-pool.ts`) → `decode()` per request (prefix reuse, sampling, stop strings,
 * timings, `decode.ts`). Disposing the provider disposes everything below it.
 */
export { LocalEngine, sharedLocalEngine, type LocalEngineOptions, type LlamaLoader } from './local-engine';
export { createLocalProvider, LocalProvider, type LocalProviderOptions } from './local-provider';
export { DEFAULT_SAMPLING } from './decode';
export { scoreText, type ScoreTextOptions, type TextScore } from './score-text';
