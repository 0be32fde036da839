import { LlmError } from '../../llm/errors';
import type { GenerationPart, GenerationRequest, LlmProvider, ModelInfo } from '../../llm/provider';

/** What the scripted model does for one request. */
export interface Script {
  /** Text parts to stream, in order. */
  tokens: readonly string[];
  /** ms before each part (default 0). */
  delayMs?: number;
  /** Throw this after `failAfter` parts (default: right away). */
  fail?: LlmError;
  failAfter?: number;
}

/**
 * An LlmProvider that streams scripted parts and records every request (after vercel/ai's
 * MockLanguageModel), for tests of code that generates. Honours abort like the real providers:
 * the stream ends with a finish part whose reason is `abort`. Not used by the app.
 */
export class ScriptedProvider implements LlmProvider {
  readonly id = 'scripted';
  /** Every request received, in order. */
  readonly requests: GenerationRequest[] = [];
  /** Requests whose stream is still open. */
  open = 0;

  constructor(private script: (request: GenerationRequest) => Script) {}

  /** Replaces the behaviour for later requests. */
  handle(script: (request: GenerationRequest) => Script): void {
    this.script = script;
  }

  async *generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<GenerationPart> {
    this.requests.push(request);
    const s = this.script(request);
    const t0 = performance.now();
    this.open++;
    try {
      let sent = 0;
      for (const token of s.tokens) {
        if (s.fail && sent === (s.failAfter ?? 0)) throw s.fail;
        if (s.delayMs) await sleep(s.delayMs, signal);
        if (signal?.aborted) return yield finish('abort', sent, t0);
        yield { type: 'text', text: token };
        sent++;
      }
      if (s.fail) throw s.fail;
      yield finish('stop', sent, t0);
    } finally {
      this.open--;
    }
  }

  async listModels(): Promise<ModelInfo[]> {
    return [{ id: 'scripted' }];
  }

  async dispose(): Promise<void> {}
}

function finish(reason: 'stop' | 'abort', completionTokens: number, t0: number): GenerationPart {
  const totalMs = performance.now() - t0;
  return {
    type: 'finish',
    reason,
    usage: { promptTokens: 1, completionTokens },
    timings: { timeToFirstTokenMs: 0, tokensPerSecond: completionTokens / Math.max(totalMs / 1000, 1e-3), totalMs },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
