import { DEFAULT_MAX_TOKENS } from '../generation-settings';
import type { GenerationRequest, TokenLogprob } from '../provider';

/**
 * The OpenAI wire format, reduced to what Palimpsest sends and reads. Responses are parsed
 * defensively (every field optional): compatible servers omit or rename fields freely.
 */

export interface WireOptions {
  /** Send `top_k` (vLLM, llama.cpp, Ollama and LM Studio accept it; api.openai.com rejects it). */
  sendTopK: boolean;
  /** Ask for a final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
}

/** The path and JSON body for one streamed generation. */
export function buildRequestBody(
  request: GenerationRequest,
  options: WireOptions,
): { path: string; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { model: request.model, stream: true };
  if (request.kind === 'chat') body.messages = request.messages;
  else body.prompt = request.prompt;
  // Servers default to "until the context is full"; the contract's default is DEFAULT_MAX_TOKENS.
  body.max_tokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined && options.sendTopK) body.top_k = request.topK;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.logprobs) {
    // Chat takes a boolean; legacy completions take the number of alternatives per token.
    if (request.kind === 'chat') body.logprobs = true;
    else body.logprobs = 1;
  }
  if (options.includeUsage) body.stream_options = { include_usage: true };
  return { path: request.kind === 'chat' ? '/chat/completions' : '/completions', body };
}

/** What one streamed chunk (or a whole non-streamed response) contributes. */
export interface ChunkContent {
  text: string;
  logprobs?: TokenLogprob[];
  /** Normalised finish reason once the server gave one. */
  finishReason?: 'stop' | 'length' | 'other';
  usage?: { promptTokens: number; completionTokens: number };
  /** The server's own measurement (llama.cpp's `timings`), more exact than timing chunk arrival. */
  serverTimings?: ServerTimings;
  /** A `{"error": ...}` payload some servers stream instead of failing the HTTP status. */
  error?: unknown;
}

/** What llama.cpp's server reports in `timings` (on the last chunk); fields it omitted are absent. */
export interface ServerTimings {
  /** Generated tokens per second, as the server measured them. */
  tokensPerSecond?: number;
  completionTokens?: number;
  promptTokens?: number;
}

interface WireChoice {
  delta?: { content?: unknown };
  message?: { content?: unknown };
  text?: unknown;
  finish_reason?: unknown;
  logprobs?: {
    content?: Array<{ token?: unknown; logprob?: unknown }> | null;
    tokens?: unknown[];
    token_logprobs?: unknown[];
  } | null;
}

/** Reads one parsed JSON chunk from /chat/completions or /completions (streamed or not). */
export function readChunk(json: unknown): ChunkContent {
  const obj = json as {
    choices?: WireChoice[];
    usage?: Record<string, unknown> | null;
    timings?: Record<string, unknown> | null;
    error?: unknown;
  };
  if (obj && typeof obj === 'object' && obj.error !== undefined && obj.choices === undefined)
    return { text: '', error: obj.error };
  const out: ChunkContent = { text: '' };
  const choice = Array.isArray(obj?.choices) ? obj.choices[0] : undefined;
  if (choice) {
    const content = choice.delta?.content ?? choice.message?.content ?? choice.text;
    if (typeof content === 'string') out.text = content;
    const lp = readLogprobs(choice.logprobs);
    if (lp) out.logprobs = lp;
    if (typeof choice.finish_reason === 'string') {
      const r = choice.finish_reason;
      out.finishReason = r === 'length' ? 'length' : r === 'stop' || r === 'eos' ? 'stop' : 'other';
    }
  }
  const usage = obj?.usage;
  if (usage && typeof usage === 'object') {
    const p = Number(usage.prompt_tokens);
    const c = Number(usage.completion_tokens);
    if (Number.isFinite(p) || Number.isFinite(c)) {
      out.usage = { promptTokens: Number.isFinite(p) ? p : 0, completionTokens: Number.isFinite(c) ? c : 0 };
    }
  }
  const timings = obj?.timings;
  if (timings && typeof timings === 'object') {
    const t: ServerTimings = {};
    const tps = positive(timings.predicted_per_second);
    const predicted = positive(timings.predicted_n);
    const prompt = positive(timings.prompt_n);
    if (tps !== undefined) t.tokensPerSecond = tps;
    if (predicted !== undefined) t.completionTokens = predicted;
    if (prompt !== undefined) t.promptTokens = prompt;
    if (Object.keys(t).length > 0) out.serverTimings = t;
  }
  return out;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

function readLogprobs(lp: WireChoice['logprobs']): TokenLogprob[] | undefined {
  if (!lp) return undefined;
  if (Array.isArray(lp.content)) {
    const out: TokenLogprob[] = [];
    for (const t of lp.content) {
      if (typeof t?.token === 'string' && typeof t.logprob === 'number')
        out.push({ token: t.token, logprob: t.logprob });
    }
    return out.length > 0 ? out : undefined;
  }
  if (Array.isArray(lp.tokens) && Array.isArray(lp.token_logprobs)) {
    const out: TokenLogprob[] = [];
    lp.tokens.forEach((token, i) => {
      const logprob = lp.token_logprobs![i];
      if (typeof token === 'string' && typeof logprob === 'number') out.push({ token, logprob });
    });
    return out.length > 0 ? out : undefined;
  }
  return undefined;
}

/** Reads GET /models (OpenAI shape `{data:[{id}]}`; llama.cpp adds `meta.n_ctx_train`). */
export function readModelList(json: unknown): Array<{ id: string; contextLength?: number }> {
  const data = (json as { data?: unknown }).data ?? (json as { models?: unknown }).models;
  if (!Array.isArray(data)) return [];
  const out: Array<{ id: string; contextLength?: number }> = [];
  for (const m of data as Array<Record<string, unknown>>) {
    const id =
      typeof m.id === 'string'
        ? m.id
        : typeof m.name === 'string'
          ? m.name
          : typeof m.model === 'string'
            ? m.model
            : undefined;
    if (!id) continue;
    const meta = m.meta as Record<string, unknown> | undefined;
    const ctx = Number(m.context_length ?? m.max_model_len ?? meta?.n_ctx_train ?? m.context_window);
    out.push(Number.isFinite(ctx) && ctx > 0 ? { id, contextLength: ctx } : { id });
  }
  return out;
}
