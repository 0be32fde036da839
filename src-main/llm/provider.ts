/**
 * The one contract every LLM backend implements (local node-llama-cpp engine, OpenAI-compatible
 * endpoints, pools of them). Shaped after vercel/ai's LanguageModel spec: small, streaming-first,
 * provider-agnostic. Callers use `generate()`; nothing above this file knows which backend it has.
 */

/** A chat message; `system` carries an author's persona. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sampling and limits for one generation. All optional; defaults are the provider's. */
export interface GenerationSettings {
  /** Maximum new tokens to generate (default 256). */
  maxTokens?: number;
  /** 0 = greedy. */
  temperature?: number;
  topP?: number;
  topK?: number;
  /** Same seed + settings + prompt gives the same output where the backend supports it. */
  seed?: number;
  /** Generation stops before any of these strings; the stop string is not included in the output. */
  stop?: string[];
  /** Ask for per-token log-probabilities (ignored where the backend cannot give them). */
  logprobs?: boolean;
  /**
   * Who is writing (an author id). Lets a backend keep per-author state between turns (the local
   * engine keeps one KV-cache sequence per author); backends without such state ignore it.
   */
  authorId?: string;
  /**
   * Which KV-cache sequence the local engine uses (default: `authorId`). Authors that share one
   * text on one model (a story's turns) pass the same key, so a later author continues the
   * earlier ones' evaluated tokens instead of re-prefilling them. HTTP backends ignore it.
   */
  cacheKey?: string;
}

/** Either a chat (messages) or a raw completion (prompt continued verbatim). */
export type GenerationRequest =
  | ({ kind: 'chat'; model: string; messages: ChatMessage[] } & GenerationSettings)
  | ({ kind: 'completion'; model: string; prompt: string } & GenerationSettings);

export interface TokenLogprob {
  token: string;
  logprob: number;
}

/** Streamed parts, in order: any number of `text` parts, then exactly one `finish` (or a thrown LlmError). */
export type GenerationPart =
  | { type: 'text'; text: string; logprobs?: TokenLogprob[] }
  | {
      type: 'finish';
      reason: 'stop' | 'length' | 'abort';
      usage: { promptTokens: number; completionTokens: number };
      timings: {
        /** ms from the call to the first text part. */
        timeToFirstTokenMs: number;
        /** completion tokens per second after the first token. */
        tokensPerSecond: number;
        totalMs: number;
      };
      /**
       * Prompt-cache accounting where the backend has one (local engine): prompt tokens taken from
       * the author's cached state vs evaluated anew. `reusedTokens + evaluatedTokens = promptTokens`.
       */
      cache?: { reusedTokens: number; evaluatedTokens: number };
    };

export interface ModelInfo {
  id: string;
  /** Context length in tokens when known. */
  contextLength?: number;
}

export interface LlmProvider {
  /** Stable id, e.g. `local`, `ollama`, `openai-compatible:lab-vllm`. */
  readonly id: string;
  /**
   * Streams one generation. Aborting `signal` ends the stream with a `finish` part whose reason is
   * `abort` (text produced so far stays delivered). Throws LlmError (see errors.ts) on failure.
   */
  generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<GenerationPart>;
  /** Lists the models this provider can serve. Throws LlmError('unreachable') when it cannot be reached. */
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  /** Frees native or network resources. Safe to call twice. */
  dispose(): Promise<void>;
}
