import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { LlmError } from '../errors';
import { DEFAULT_MAX_TOKENS } from '../generation-settings';
import type { GenerationPart, GenerationSettings, TokenLogprob } from '../provider';
import { StopMatcher } from './stop-matcher';
import { TokenTextDecoder } from './token-text-decoder';

/** Sampling defaults when a request leaves them out (llama.cpp's usual defaults). */
export const DEFAULT_SAMPLING = { maxTokens: DEFAULT_MAX_TOKENS, temperature: 0.8, topK: 40, topP: 0.95 } as const;

export interface DecodeInput {
  model: LlamaModel;
  sequence: LlamaContextSequence;
  promptTokens: Token[];
  settings: GenerationSettings;
  /** Stop strings added by the chat template (on top of `settings.stop`). */
  templateStops?: readonly string[];
  signal?: AbortSignal;
  /** `performance.now()` when the provider was called; timings are measured from it. */
  startedAt: number;
}

/**
 * Runs one generation on a sequence the caller has checked out, reusing its KV cache: the prompt is
 * compared with the tokens the sequence already holds, the differing tail is erased, and only the
 * new tokens are evaluated. Yields text parts then one finish part, like `LlmProvider.generate`.
 */
export async function* decode(input: DecodeInput): AsyncGenerator<GenerationPart> {
  const { model, sequence, promptTokens, settings, signal, startedAt } = input;
  const maxTokens = settings.maxTokens ?? DEFAULT_SAMPLING.maxTokens;
  if (promptTokens.length === 0) throw new LlmError('internal', 'Empty prompt: nothing to continue from');
  if (promptTokens.length >= sequence.contextSize) {
    throw new LlmError(
      'context_overflow',
      `The prompt (${promptTokens.length} tokens) does not fit the ${sequence.contextSize}-token context`,
      {
        promptTokens: promptTokens.length,
        contextSize: sequence.contextSize,
      },
    );
  }

  // At least one prompt token must be evaluated to get logits for the next token, so a prompt that
  // the sequence already holds entirely re-evaluates its last token.
  const reused = Math.min(sequence.compareContextTokens(promptTokens).firstDifferentIndex, promptTokens.length - 1);
  if (sequence.nextTokenIndex > reused) {
    await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
  }

  // A long prefill runs as one native call per batch; feed it batch by batch so abort is honoured
  // between batches (seconds on a large model) instead of after the whole prompt.
  const toEvaluate = promptTokens.slice(reused);
  const batch = Math.max(1, sequence.context.batchSize);
  while (toEvaluate.length > batch && !signal?.aborted) {
    await sequence.evaluateWithoutGeneratingNewTokens(toEvaluate.splice(0, batch));
  }
  /** Prompt tokens not evaluated yet (only non-zero at the end when aborted before the first token). */
  let unevaluated = toEvaluate.length;

  const temperature = settings.temperature ?? DEFAULT_SAMPLING.temperature;
  const evaluation = sequence.evaluateWithMetadata(
    toEvaluate,
    { confidence: settings.logprobs === true },
    {
      temperature,
      topK: settings.topK ?? DEFAULT_SAMPLING.topK,
      topP: settings.topP ?? DEFAULT_SAMPLING.topP,
      ...(settings.seed !== undefined && { seed: settings.seed }),
    },
  );

  const stops = new StopMatcher([...(settings.stop ?? []), ...(input.templateStops ?? [])]);
  const decoder = new TokenTextDecoder(
    (tokens, context) => model.detokenize(tokens as Token[], false, context as Token[]),
    promptTokens,
  );
  const logprobs = settings.logprobs === true ? new LogprobQueue() : undefined;
  let completionTokens = 0;
  let firstTextAt: number | undefined;
  let firstTokenAt: number | undefined;
  let reason: 'stop' | 'length' | 'abort' = maxTokens > 0 ? 'stop' : 'length';

  const textPart = (text: string): GenerationPart => {
    firstTextAt ??= performance.now();
    const probs = logprobs?.take(text.length);
    return probs ? { type: 'text', text, logprobs: probs } : { type: 'text', text };
  };

  try {
    // maxTokens 0 only primes the author's KV cache with the prompt (e.g. text another author wrote).
    if (maxTokens <= 0 && !signal?.aborted) {
      await sequence.evaluateWithoutGeneratingNewTokens(toEvaluate);
      unevaluated = 0;
    }
    while (maxTokens > 0) {
      if (signal?.aborted) {
        reason = 'abort';
        break;
      }
      const step = await evaluation.next();
      unevaluated = 0;
      if (step.done) break; // end-of-generation token (not yielded)
      firstTokenAt ??= performance.now();
      completionTokens++;
      const piece = decoder.push(step.value.token);
      // `confidence` is present only when requested (metadata option above).
      logprobs?.add(step.value.token, piece, (step.value as { confidence?: number }).confidence, model);
      const { emit, stopped } = stops.push(piece);
      if (emit) yield textPart(emit);
      if (stopped) break;
      // node-llama-cpp keeps one cell free and would shift the context (erase its beginning) to
      // evaluate past it; that would silently drop the start of the author's text, so stop instead.
      if (completionTokens >= maxTokens || sequence.nextTokenIndex >= sequence.contextSize - 1) {
        reason = 'length';
        break;
      }
    }
    if (signal?.aborted) reason = 'abort';
    const rest = stops.flush();
    if (rest) yield textPart(rest);
  } catch (e) {
    if (LlmError.isInstance(e)) throw e;
    throw new LlmError('internal', 'The local model failed while generating', {}, { cause: e });
  } finally {
    // Ends the native evaluation loop; the last sampled token stays unevaluated, which the next
    // turn's prefix comparison accounts for.
    await evaluation.return();
  }

  const end = performance.now();
  const afterFirst = firstTokenAt === undefined ? 0 : end - firstTokenAt;
  yield {
    type: 'finish',
    reason,
    usage: { promptTokens: promptTokens.length, completionTokens },
    timings: {
      timeToFirstTokenMs: (firstTextAt ?? firstTokenAt ?? end) - startedAt,
      tokensPerSecond: completionTokens > 1 && afterFirst > 0 ? ((completionTokens - 1) * 1000) / afterFirst : 0,
      totalMs: end - startedAt,
    },
    cache: { reusedTokens: reused, evaluatedTokens: promptTokens.length - reused - unevaluated },
  };
}

/**
 * Pairs per-token log-probabilities with the text they produced, so each text part carries exactly
 * the tokens whose text it contains, even when stop matching holds text back or cuts it.
 * Probabilities are those of the distribution the token was drawn from (after temperature, top-k,
 * top-p): with temperature 0 that is the model's own distribution.
 */
class LogprobQueue {
  private readonly queue: Array<{ end: number; entry: TokenLogprob }> = [];
  private produced = 0;
  private emitted = 0;

  add(token: Token, piece: string, confidence: number | undefined, model: LlamaModel): void {
    this.produced += piece.length;
    const text = piece || model.detokenize([token], true);
    this.queue.push({ end: this.produced, entry: { token: text, logprob: Math.log(confidence ?? Number.NaN) } });
  }

  take(chars: number): TokenLogprob[] {
    this.emitted += chars;
    const out: TokenLogprob[] = [];
    while (this.queue.length > 0 && this.queue[0]!.end <= this.emitted) out.push(this.queue.shift()!.entry);
    return out;
  }
}
