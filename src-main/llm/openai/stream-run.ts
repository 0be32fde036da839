import { LlmError } from '../errors';
import type { GenerationPart, TokenLogprob } from '../provider';
import {
  errorFromNetwork,
  errorFromStreamPayload,
  htmlInsteadOfJson,
  looksLikeHtml,
  type RequestTarget,
} from './classify-error';
import { SseParser } from './sse-parser';
import { readChunk, type ChunkContent } from './wire-format';

/** Why our own controller aborted a request (as opposed to the caller's signal). */
export class TimeoutReason {
  constructor(
    readonly phase: 'connect' | 'idle',
    readonly ms: number,
  ) {}
}

/**
 * One HTTP attempt: owns the timeout controller, the SSE parser and the counters that become the
 * finish part. Split from the provider so a retry starts from clean state.
 */
export class StreamRun {
  private readonly controller = new AbortController();
  readonly signal: AbortSignal;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Streamed events that carried text (≈ tokens; used when the server sends no usage). */
  textParts = 0;
  private firstTokenAt = 0;
  private usage: { promptTokens: number; completionTokens: number } | undefined;
  private finishReason: 'stop' | 'length' | undefined;

  constructor(
    private readonly t0: number,
    private readonly target: RequestTarget,
    callerSignal: AbortSignal,
    private readonly idleTimeoutMs: number,
  ) {
    this.signal = AbortSignal.any([callerSignal, this.controller.signal]);
  }

  /** (Re)starts the watchdog: `connect` until headers arrive, `idle` between chunks. */
  arm(phase: 'connect' | 'idle', ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new TimeoutReason(phase, ms)), ms);
  }

  /** The typed error when our watchdog (not the caller) aborted, else undefined. */
  timeoutError(): LlmError | undefined {
    const reason = this.controller.signal.reason;
    if (!(reason instanceof TimeoutReason)) return undefined;
    return new LlmError(
      'timeout',
      reason.phase === 'connect'
        ? `${this.target.baseUrl} did not answer within ${Math.round(reason.ms / 1000)} s.`
        : `${this.target.baseUrl} stopped sending text for ${Math.round(reason.ms / 1000)} s.`,
      { baseUrl: this.target.baseUrl, model: this.target.model, phase: reason.phase, timeoutMs: reason.ms },
    );
  }

  async readText(response: Response): Promise<string> {
    this.arm('idle', this.idleTimeoutMs);
    try {
      return await response.text();
    } catch {
      return '';
    } finally {
      this.disarm();
    }
  }

  async *read(response: Response): AsyncGenerator<GenerationPart> {
    this.disarm();
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream')) {
      // Some servers ignore `stream: true` and answer with one JSON document.
      yield* this.readWhole(await this.readText(response), response.headers);
      return;
    }
    if (!response.body) throw htmlInsteadOfJson(this.target, response.status);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    let done = false;
    try {
      while (!done) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        // The watchdog runs only while waiting on the server: a consumer that takes its time
        // with a part (backpressure) must not count as a stalled server.
        this.arm('idle', this.idleTimeoutMs);
        try {
          chunk = await reader.read();
        } catch (e) {
          throw this.timeoutError() ?? errorFromNetwork(e, this.target, 'stream');
        } finally {
          this.disarm();
        }
        const events = chunk.done
          ? parser.push(decoder.decode()).concat(parser.end())
          : parser.push(decoder.decode(chunk.value, { stream: true }));
        // Events that arrived in the same network read become ONE text part: a client that fell
        // behind catches up in one step instead of paying a generator round trip per token.
        let text = '';
        let logprobs: TokenLogprob[] | undefined;
        let failure: unknown;
        for (const ev of events) {
          if (ev.data === '[DONE]') {
            done = true;
            break;
          }
          try {
            const piece = this.apply(parseJson(ev.data, this.target));
            if (piece) {
              text += piece.text;
              if (piece.logprobs) (logprobs ??= []).push(...piece.logprobs);
            }
          } catch (e) {
            failure = e;
            break;
          }
        }
        // Text that arrived before a mid-stream error is still delivered, then the error.
        if (text.length > 0 || logprobs) yield logprobs ? { type: 'text', text, logprobs } : { type: 'text', text };
        if (failure !== undefined) throw failure;
        if (chunk.done) break;
      }
    } finally {
      // Closes the socket when the consumer stopped early or we saw [DONE] before EOF.
      reader.cancel().catch(() => {});
    }
    if (!done && this.finishReason === undefined) {
      throw new LlmError(
        'bad_response',
        `The answer from ${this.target.baseUrl} ended before it was complete. The text so far was kept; try again.`,
        { baseUrl: this.target.baseUrl, model: this.target.model, textParts: this.textParts },
      );
    }
    yield this.finish(this.finishReason ?? 'stop');
  }

  /** The finish part from what was counted so far. */
  finish(reason: 'stop' | 'length' | 'abort'): GenerationPart {
    const end = performance.now();
    const completionTokens = this.usage?.completionTokens || this.textParts;
    const ttft = this.textParts > 0 ? this.firstTokenAt - this.t0 : 0;
    const genMs = this.textParts > 0 ? end - this.firstTokenAt : 0;
    return {
      type: 'finish',
      reason,
      usage: { promptTokens: this.usage?.promptTokens ?? 0, completionTokens },
      timings: {
        timeToFirstTokenMs: ttft,
        tokensPerSecond: genMs > 0 ? Math.max(0, completionTokens - 1) / (genMs / 1000) : 0,
        totalMs: end - this.t0,
      },
    };
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disarm();
  }

  private *readWhole(text: string, headers: Headers): Generator<GenerationPart> {
    if (looksLikeHtml(text, headers)) throw htmlInsteadOfJson(this.target);
    const piece = this.apply(parseJson(text, this.target));
    if (piece)
      yield piece.logprobs
        ? { type: 'text', text: piece.text, logprobs: piece.logprobs }
        : { type: 'text', text: piece.text };
    yield this.finish(this.finishReason ?? 'stop');
  }

  /** Folds one chunk into the counters; returns its text and logprobs, if any. */
  private apply(chunk: ChunkContent): { text: string; logprobs?: TokenLogprob[] } | undefined {
    if (chunk.error !== undefined) throw errorFromStreamPayload(chunk, this.target);
    if (chunk.usage) this.usage = chunk.usage;
    if (chunk.finishReason) this.finishReason = chunk.finishReason === 'length' ? 'length' : 'stop';
    if (chunk.text.length === 0 && !chunk.logprobs) return undefined;
    if (chunk.text.length > 0) {
      if (this.textParts === 0) this.firstTokenAt = performance.now();
      this.textParts++;
    }
    return chunk;
  }
}

function parseJson(data: string, target: RequestTarget): ChunkContent {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (cause) {
    if (looksLikeHtml(data)) throw htmlInsteadOfJson(target);
    throw new LlmError(
      'bad_response',
      `${target.baseUrl} sent a malformed piece of the answer.`,
      { baseUrl: target.baseUrl, model: target.model, sample: data.slice(0, 120) },
      { cause },
    );
  }
  return readChunk(json);
}
