import { LlmError } from '../errors';
import { redactSecrets } from '../keys/secret-store';
import type { GenerationPart, GenerationRequest, LlmProvider, ModelInfo } from '../provider';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from './backoff';
import {
  errorFromNetwork,
  errorFromResponse,
  htmlInsteadOfJson,
  looksLikeHtml,
  redactUrl,
  type RequestTarget,
} from './classify-error';
import { Semaphore } from './semaphore';
import { StreamRun } from './stream-run';
import { unsupportedParameter } from './unsupported-parameter';
import { buildRequestBody, readModelList } from './wire-format';

/** How to reach one OpenAI-compatible server (OpenAI, Ollama, llama.cpp server, vLLM, LM Studio). */
export interface OpenAiCompatibleOptions {
  /** Base URL including the API prefix, e.g. `http://127.0.0.1:11434/v1`. A bare origin gets `/v1` added. */
  baseUrl: string;
  /** Provider id (default `openai-compatible:<host:port>`). */
  id?: string;
  /**
   * The API key, or a function that fetches it (from a SecretStore) per request so a changed key
   * applies without rebuilding the provider. Sent as `Authorization: Bearer`; never logged.
   */
  apiKey?: string | (() => string | undefined | Promise<string | undefined>);
  /** Extra request headers (e.g. `OpenAI-Organization`). */
  headers?: Record<string, string>;
  /** ms one attempt waits for the response headers (default 60 000: a local server may load the model first). */
  connectTimeoutMs?: number;
  /**
   * ms from the call (once it has a concurrency slot) to the first text, across every attempt and
   * backoff wait (default: `connectTimeoutMs`). Bounds how long a hanging server can hold a caller;
   * once text streams, only `idleTimeoutMs` applies.
   */
  answerTimeoutMs?: number;
  /** ms allowed between two streamed chunks, and from the headers to the first chunk (default 60 000). */
  idleTimeoutMs?: number;
  /** Requests in flight at once through this provider; more wait in FIFO order (default 4). */
  maxConcurrent?: number;
  /** Retries for transient failures before the first token (default 3 retries, 250 ms base, 8 s cap). */
  retry?: Partial<RetryPolicy>;
  /** Send `top_k` (default: true except for api.openai.com, which rejects unknown parameters). */
  sendTopK?: boolean;
  /** Request a usage chunk via `stream_options` (default true). */
  includeUsage?: boolean;
  /** For tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
}

const ABORT_FINISH_USAGE = { promptTokens: 0, completionTokens: 0 };

/**
 * An LlmProvider over the OpenAI HTTP API: streams /chat/completions and /completions with SSE,
 * retries transient failures before the first token (never after: text already shown would be
 * generated twice), caps concurrent requests, and turns every failure into a typed LlmError.
 */
export class OpenAiCompatibleProvider implements LlmProvider {
  readonly id: string;
  /** The normalised base URL, credentials removed (safe to show). */
  readonly baseUrl: string;
  private readonly url: string;
  private readonly limiter: Semaphore;
  private readonly retry: RetryPolicy;
  private readonly connectTimeoutMs: number;
  private readonly answerTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly sendTopK: boolean;
  private readonly includeUsage: boolean;
  private readonly fetchImpl: typeof fetch;
  private readonly disposeController = new AbortController();
  private inFlightCount = 0;
  /** Optional parameters this server rejected earlier, left out of later requests. */
  private readonly dropped = new Set<string>();

  constructor(private readonly options: OpenAiCompatibleOptions) {
    this.url = normalizeBaseUrl(options.baseUrl);
    this.baseUrl = redactUrl(this.url);
    const host = new URL(this.url).host;
    this.id = options.id ?? `openai-compatible:${host}`;
    this.limiter = new Semaphore(options.maxConcurrent ?? 4);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.connectTimeoutMs = options.connectTimeoutMs ?? 60_000;
    this.answerTimeoutMs = options.answerTimeoutMs ?? this.connectTimeoutMs;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.sendTopK = options.sendTopK ?? !/(^|\.)openai\.com$/i.test(new URL(this.url).hostname);
    this.includeUsage = options.includeUsage ?? true;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Generations started and not yet finished (including those waiting for a slot). */
  get inFlight(): number {
    return this.inFlightCount;
  }

  async *generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<GenerationPart> {
    const t0 = performance.now();
    const target: RequestTarget = { baseUrl: this.baseUrl, model: request.model };
    const callerSignal = signal
      ? AbortSignal.any([signal, this.disposeController.signal])
      : this.disposeController.signal;
    const abortFinish = (): GenerationPart => ({
      type: 'finish',
      reason: 'abort',
      usage: ABORT_FINISH_USAGE,
      timings: { timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: performance.now() - t0 },
    });
    this.inFlightCount++;
    let release: (() => void) | undefined;
    try {
      try {
        release = await this.limiter.acquire(callerSignal);
      } catch (e) {
        if (callerSignal.aborted) {
          yield abortFinish();
          return;
        }
        throw e;
      }
      const { path, body } = buildRequestBody(request, { sendTopK: this.sendTopK, includeUsage: this.includeUsage });
      const deadline = { at: performance.now() + this.answerTimeoutMs, ms: this.answerTimeoutMs };
      for (let attempt = 0; ; attempt++) {
        const run = new StreamRun(t0, target, callerSignal, this.idleTimeoutMs, deadline);
        try {
          const response = await this.open(path, JSON.stringify(this.withoutDropped(body)), run, target);
          yield* run.read(response);
          return;
        } catch (e) {
          if (callerSignal.aborted) {
            if (run.textParts === 0) yield abortFinish();
            else yield run.finish('abort');
            return;
          }
          const err = LlmError.isInstance(e)
            ? e
            : new LlmError('internal', 'The generation failed unexpectedly.', { baseUrl: this.baseUrl }, { cause: e });
          const unsupported = run.textParts === 0 ? unsupportedParameter(err, body, this.dropped) : undefined;
          if (unsupported) {
            // A strict server refused an optional extra (top_k, seed, stream_options…): drop it for
            // this provider's lifetime and resend at once. Each parameter is dropped at most once.
            this.dropped.add(unsupported);
            attempt--;
            continue;
          }
          // Never retry once text reached the caller: the retry would repeat or contradict it.
          if (!err.retryable || run.textParts > 0 || attempt >= this.retry.maxRetries) throw err;
          const delay = backoffDelay(attempt, this.retry, err.details.retryAfterMs as number | undefined);
          // A retry that could not start before the deadline would only make the caller wait longer.
          if (delay === undefined || performance.now() + delay >= deadline.at) throw err;
          try {
            await sleep(delay, callerSignal);
          } catch {
            yield abortFinish();
            return;
          }
        } finally {
          run.dispose();
        }
      }
    } finally {
      release?.();
      this.inFlightCount--;
    }
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const target: RequestTarget = { baseUrl: this.baseUrl };
    const timeout = AbortSignal.timeout(Math.min(this.connectTimeoutMs, 15_000));
    const linked = AbortSignal.any([timeout, this.disposeController.signal, ...(signal ? [signal] : [])]);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.url}/models`, { headers: await this.headers(), signal: linked });
    } catch (e) {
      if (signal?.aborted)
        throw new LlmError('aborted', 'Listing models was cancelled.', { baseUrl: this.baseUrl }, { cause: e });
      if (timeout.aborted)
        throw new LlmError('timeout', `${this.baseUrl} did not answer in time.`, { baseUrl: this.baseUrl });
      throw errorFromNetwork(e, target, 'connect');
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 400) throw errorFromResponse(response.status, text, response.headers, target);
    if (looksLikeHtml(text, response.headers)) throw htmlInsteadOfJson(target, response.status);
    try {
      return readModelList(JSON.parse(text));
    } catch (cause) {
      throw new LlmError(
        'bad_response',
        `${this.baseUrl} answered /models with something that is not JSON.`,
        { baseUrl: this.baseUrl },
        { cause },
      );
    }
  }

  /** Aborts everything in flight (their streams finish with reason `abort`). Safe to call twice. */
  async dispose(): Promise<void> {
    this.disposeController.abort(new Error('provider disposed'));
  }

  private withoutDropped(body: Record<string, unknown>): Record<string, unknown> {
    if (this.dropped.size === 0) return body;
    const copy = { ...body };
    for (const key of this.dropped) delete copy[key];
    return copy;
  }

  private async headers(): Promise<Record<string, string>> {
    const h: Record<string, string> = { accept: 'text/event-stream, application/json', ...this.options.headers };
    const key = typeof this.options.apiKey === 'function' ? await this.options.apiKey() : this.options.apiKey;
    if (key) h.authorization = `Bearer ${key}`;
    return h;
  }

  /** Sends the request and returns the response once its status says it will stream. */
  private async open(path: string, json: string, run: StreamRun, target: RequestTarget): Promise<Response> {
    const headers: Record<string, string> = { ...(await this.headers()), 'content-type': 'application/json' };
    run.arm('connect', this.connectTimeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.url}${path}`, {
        method: 'POST',
        headers,
        body: json,
        signal: run.signal,
      });
    } catch (e) {
      throw run.timeoutError() ?? errorFromNetwork(e, target, 'connect');
    }
    if (response.status >= 400) {
      const text = await run.readText(response);
      const err = errorFromResponse(response.status, text, response.headers, target);
      // Servers echo (parts of) a rejected key in their message; it must not reach logs or the UI.
      const key = headers.authorization?.slice('Bearer '.length);
      if (!key) throw err;
      throw new LlmError(err.code, redactSecrets(err.userMessage, [key]), redactSecrets(err.details, [key]));
    }
    return response;
  }
}

/** Trims trailing slashes and adds `/v1` to a bare origin (`http://host:8080` → `http://host:8080/v1`). */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new LlmError('unreachable', `"${redactUrl(baseUrl)}" is not a valid URL.`, {}, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LlmError('unreachable', `Only http:// and https:// endpoints are supported, not ${url.protocol}`, {});
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
  return url.toString().replace(/\/+$/, '');
}
