import type { Llama, LlamaContextSequence, Token } from 'node-llama-cpp';
import { LlmError } from '../errors';
import { readGgufInfo } from '../gguf';
import { sharedLocalEngine } from './local-engine';
import { LocalModel } from './local-model';

/** Options for `scoreText`. */
export interface ScoreTextOptions {
  /** Text tokens scored at most (the rest of the text is ignored; see `truncated`). Default 512. */
  maxTokens?: number;
  /** Checked between evaluation batches; aborting rejects with LlmError `aborted`. */
  signal?: AbortSignal;
  /**
   * A ready `Llama`, used only when `model` is a path. By default the process's engine root
   * (`sharedLocalEngine()`) is retained for the call; the model gets one thread.
   */
  llama?: Llama;
}

/**
 * Per-token statistics of a text under a language model, by teacher forcing: position `i` is the
 * model's next-token distribution after the BOS token and the text's first `i` tokens, and the
 * token actually written there. Natural logs. Arrays all have the same length, `logprobs.length`.
 */
export interface TextScore {
  /** Text tokens considered (BOS excluded), after truncation to `maxTokens`. */
  tokens: number;
  /**
   * log p(token | prefix) of each text token, all ≤ 0. One per text token (`length === tokens`) for
   * models with a BOS token (llama-family GGUFs); `tokens - 1` for the rare model without one, whose
   * first token has no prefix to be predicted from.
   */
  logprobs: number[];
  /** Mean of log p under the model's own next-token distribution at each position (= −entropy). */
  expectedLogprob: number[];
  /** Variance of log p under that distribution (the analytical Fast-DetectGPT denominator). */
  variance: number[];
  /** Entropy (nats) of the next-token distribution at each position. */
  entropy: number[];
  /** True when the text had more tokens than were scored (`maxTokens` or the model's context). */
  truncated: boolean;
}

/** Probabilities below this (float32 softmax underflow) are scored as this, so logprobs stay finite. */
const MIN_PROBABILITY = 1e-30;
const DEFAULT_MAX_TOKENS = 512;
/** Reserved pool key, so scoring never reuses (or corrupts) an author's cached sequence. */
const SCORING_KEY = '\u0000score-text';

/**
 * Scores `text` under a local GGUF model: token log-probabilities plus the mean, variance and entropy
 * of the model's full next-token distribution at each position (for Fast-DetectGPT / Binoculars-style
 * detection features). Deterministic: no sampling, temperature 0 (the raw softmax over the vocabulary).
 *
 * `model` is a `.gguf` path (loaded for this call with one thread and a context just large enough,
 * then freed) or a `LocalModel` already loaded by the local engine. With a `LocalModel`, scoring
 * takes one sequence from its pool under a reserved key (when all are in use, the least recently
 * used idle author's KV cache is dropped, as for any new author; while every one is busy it waits)
 * and clears it afterwards.
 *
 * Cost: one forward pass over the text, plus copying the full vocabulary distribution out of
 * llama.cpp at every position: 512 entries for stories260K (510 tokens in about 1–2 s on a shared
 * 2-core box, mostly that copy), 32 k–150 k for real LLMs, where the copy will dominate (not
 * measured here).
 * @throws LlmError `model_missing` / `invalid_model` for a bad path, `aborted` when `signal` fires,
 * `internal` when llama.cpp fails.
 */
export async function scoreText(
  model: string | LocalModel,
  text: string,
  options: ScoreTextOptions = {},
): Promise<TextScore> {
  const maxTokens = Math.max(1, Math.floor(options.maxTokens ?? DEFAULT_MAX_TOKENS));
  if (options.signal?.aborted) throw new LlmError('aborted', 'Scoring was cancelled');
  if (typeof model !== 'string') return scoreWithModel(model, text, maxTokens, options.signal);

  const info = await readGgufInfo(model);
  const engine = options.llama ? undefined : sharedLocalEngine();
  const llama = options.llama ?? (await engine!.retain());
  let local: LocalModel | undefined;
  try {
    // One thread: scoring is a short burst on a shared machine. BOS + text, plus the cell node-llama-cpp keeps free (see decode.ts); capped at the training context.
    local = await LocalModel.load(llama, model, info, { contextSize: maxTokens + 2, sequences: 1, threads: 1 });
    return await scoreWithModel(local, text, maxTokens, options.signal);
  } finally {
    await local?.dispose();
    await engine?.release();
  }
}

async function scoreWithModel(
  local: LocalModel,
  text: string,
  maxTokens: number,
  signal: AbortSignal | undefined,
): Promise<TextScore> {
  const { model } = local;
  const all = model.tokenize(text, false);
  const bos = model.tokens.bos;
  const prefix: Token[] = model.tokens.shouldPrependBosToken && bos !== null ? [bos] : [];
  const lease = await local.pool.acquire(SCORING_KEY, signal).catch((cause: unknown) => {
    throw toLlmError(cause, signal);
  });
  try {
    const sequence = lease.sequence;
    // A fresh sequence: the reserved key is evicted after every call, but be safe if one was left behind.
    if (sequence.nextTokenIndex > 0) await sequence.clearHistory();
    const room = Math.max(0, sequence.contextSize - 1 - prefix.length);
    const textTokens = all.slice(0, Math.min(maxTokens, room));
    const score = await teacherForce(sequence, [...prefix, ...textTokens], signal);
    return { tokens: textTokens.length, ...score, truncated: textTokens.length < all.length };
  } catch (e) {
    throw toLlmError(e, signal);
  } finally {
    lease.release();
    await local.pool.evict(SCORING_KEY).catch(() => undefined);
  }
}

/** Evaluates `tokens` batch by batch, reading the next-token distribution after every token but the last. */
async function teacherForce(
  sequence: LlamaContextSequence,
  tokens: readonly Token[],
  signal: AbortSignal | undefined,
): Promise<Pick<TextScore, 'logprobs' | 'expectedLogprob' | 'variance' | 'entropy'>> {
  const logprobs: number[] = [];
  const expectedLogprob: number[] = [];
  const variance: number[] = [];
  const entropy: number[] = [];
  // Temperature 0 makes node-llama-cpp's sampler chain greedy only, which leaves the candidate list
  // untouched: `probabilities` is then the softmax over the whole vocabulary (no top-k/top-p cut).
  const generateNext = { probabilities: true, options: { temperature: 0 } } as const;
  const batch = Math.max(1, sequence.context.batchSize);
  for (let start = 0; start < tokens.length; start += batch) {
    if (signal?.aborted) throw new LlmError('aborted', 'Scoring was cancelled');
    const chunk = tokens.slice(start, start + batch);
    const results = await sequence.controlledEvaluate(
      chunk.map((token, i) => (start + i < tokens.length - 1 ? [token, { generateNext }] : token)),
    );
    for (let i = 0; i < chunk.length && start + i < tokens.length - 1; i++) {
      const probabilities = results[i]?.next.probabilities;
      if (!probabilities) throw new LlmError('internal', 'The local model returned no next-token distribution');
      const stats = distributionStats(probabilities.values());
      const actual = probabilities.get(tokens[start + i + 1]!) ?? 0;
      logprobs.push(Math.log(Math.max(actual, MIN_PROBABILITY)));
      expectedLogprob.push(stats.mean);
      variance.push(stats.variance);
      entropy.push(-stats.mean);
    }
  }
  return { logprobs, expectedLogprob, variance, entropy };
}

/**
 * Mean and variance of log p under p itself (mean = −entropy), accumulated in float64. Zero
 * probabilities contribute nothing (p log p → 0).
 */
function distributionStats(probabilities: Iterable<number>): { mean: number; variance: number } {
  let mean = 0;
  let second = 0;
  for (const p of probabilities) {
    if (!(p > 0)) continue;
    const l = Math.log(p);
    mean += p * l;
    second += p * l * l;
  }
  return { mean, variance: Math.max(0, second - mean * mean) };
}

function toLlmError(e: unknown, signal: AbortSignal | undefined): LlmError {
  if (LlmError.isInstance(e)) return e;
  if (signal?.aborted) return new LlmError('aborted', 'Scoring was cancelled', {}, { cause: e });
  return new LlmError('internal', 'The local model failed while scoring the text', {}, { cause: e });
}
