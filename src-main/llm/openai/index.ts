/** OpenAI-compatible HTTP providers (OpenAI, Ollama, llama.cpp server, vLLM, LM Studio). */
export { OpenAiCompatibleProvider, normalizeBaseUrl, type OpenAiCompatibleOptions } from './openai-compatible-provider';
export { detectOllama, createOllamaProvider, OLLAMA_DEFAULT_URL, type OllamaProbe } from './ollama';
export { SseParser, type SseEvent } from './sse-parser';
export { Semaphore } from './semaphore';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
export { redactUrl, parseRetryAfter } from './classify-error';
