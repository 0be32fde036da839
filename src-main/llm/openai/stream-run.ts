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
import { readChunk, type ChunkContent, type ServerTimings } from './wire-format';

/**
 * Why our own controller aborted a request (as opposed to the caller's signal): one attempt's
 * `connect` or `idle` limit, or the `deadline` for the first text across every attempt.
 */
export class TimeoutReason {
  constructor(
    readonly phase: 'connect' | 'idle' | 'deadline',
    readonly ms: number,
  ) {}
}

/** When the first text must have arrived, on the performance.now() clock; `ms` is the whole budget. */
export interface AnswerDeadline {
  at: number;
  ms: number;
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
  /** Text events that came in the same network read as the first one (they share one arrival time). */
  private firstReadParts = 0;
  private usage: { promptTokens: number; completionTokens: number } | undefined;
  private serverTimings: ServerTimings | undefined;
  private finishReason: 'stop' | 'length' | undefined;

  constructor(
    private readonly t0: number,
    private readonly target: RequestTarget,
    callerSignal: AbortSignal,
    private readonly idleTimeoutMs: number,
    private readonly deadline?: AnswerDeadline,
  ) {
    this.signal = AbortSignal.any([callerSignal, this.controller.signal]);
  }

  /**
   * (Re)starts the watchdog: `connect` until headers arrive, `idle` between chunks. Until the
   * first text arrives it fires no later than the answer deadline, whichever limit is nearer.
   */
  arm(phase: 'connect' | 'idle', ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    const left = this.deadline && this.textParts === 0 ? this.deadline.at - performance.now() : Infinity;
    const reason = left < ms ? new TimeoutReason('deadline', this.deadline!.ms) : new TimeoutReason(phase, ms);
    this.timer = setTimeout(() => this.controller.abort(reason), Math.max(0, Math.min(ms, left)));
  }

  /** The typed error when our watchdog (not the caller) aborted, else undefined. */
  timeoutError(): LlmError | undefined {
    const reason = this.controller.signal.reason;
    if (!(reason instanceof TimeoutReason)) return undefined;
    const messages = {
      connect: `${this.target.baseUrl} did not answer within ${formatSeconds(reason.ms)}.`,
      idle: `${this.target.baseUrl} stopped sending text for ${formatSeconds(reason.ms)}.`,
      deadline: `${this.target.baseUrl} did not start answering within ${formatSeconds(reason.ms)} (retries included).`,
    };
    return new LlmError('timeout', messages[reason.phase], {
      baseUrl: this.target.baseUrl,
      model: this.target.model,
      phase: reason.phase,
      timeoutMs: reason.ms,
    });
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
        const partsBefore = this.textParts;
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
        if (partsBefore === 0) this.firstReadParts = this.textParts;
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
      // The stream just stopped: the server went away mid-answer (see errorFromNetwork).
      throw new LlmError(
        'unreachable',
        `The answer from ${this.target.baseUrl} ended before it was complete. The text so far was kept; try again.`,
        { baseUrl: this.target.baseUrl, model: this.target.model, textParts: this.textParts },
      );
    }
    yield this.finish(this.finishReason ?? 'stop');
  }

  /** The finish part from what was counted so far. */
  finish(reason: 'stop' | 'length' | 'abort'): GenerationPart {
    const end = performance.now();
    const completionTokens = this.usage?.completionTokens || this.serverTimings?.completionTokens || this.textParts;
    const promptTokens = this.usage?.promptTokens ?? this.serverTimings?.promptTokens ?? 0;
    const ttft = this.textParts > 0 ? this.firstTokenAt - this.t0 : 0;
    return {
      type: 'finish',
      reason,
      usage: { promptTokens, completionTokens },
      timings: {
        timeToFirstTokenMs: ttft,
        tokensPerSecond: this.serverTimings?.tokensPerSecond ?? this.measuredRate(completionTokens, end),
        totalMs: end - this.t0,
      },
    };
  }

  /**
   * Tokens per second seen from here, for servers that send no timings: the tokens after the first
   * network read over the time since it. Tokens that arrived together share one arrival time, so
   * when nothing came after the first read (a fast server, a buffering proxy) the rate cannot be
   * seen; then it is the rate over the whole call, a lower bound rather than an inflated figure.
   */
  private measuredRate(completionTokens: number, end: number): number {
    if (this.textParts === 0) return 0;
    const later = completionTokens - this.firstReadParts;
    const sinceFirst = end - this.firstTokenAt;
    if (this.textParts > this.firstReadParts && later > 0 && sinceFirst > 0) return later / (sinceFirst / 1000);
    const total = end - this.t0;
    return total > 0 ? completionTokens / (total / 1000) : 0;
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
    this.firstReadParts = this.textParts;
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
    if (chunk.serverTimings) this.serverTimings = chunk.serverTimings;
    if (chunk.finishReason) this.finishReason = chunk.finishReason === 'length' ? 'length' : 'stop';
    if (chunk.text.length === 0 && !chunk.logprobs) return undefined;
    if (chunk.text.length > 0) {
      if (this.textParts === 0) this.firstTokenAt = performance.now();
      this.textParts++;
    }
    return chunk;
  }
}

/** `60 s`, `1.5 s`: whole seconds from 10 s up, so short test limits do not read as `0 s`. */
function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Number(s.toFixed(1))} s`;
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
