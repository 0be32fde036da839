/**
 * LM-assisted mode for text checks (optional, experimental): after the shipped detector, the text
 * is scored by an installed local language model and `combineWithLm` folds its features into the
 * verdict (src-main/detection/lm-assist.ts). Its weighting is a design choice, not fitted to real
 * LLM text (only a 260K-parameter test model is available offline): see models/detect/MODEL_CARD.md,
 * "LM-assisted mode".
 */
import {
  combineWithLm,
  countParameters,
  judgeLmGate,
  lmFeatures,
  perplexityOf,
  REFERENCE_TEXT,
  type DetectionResult,
  type LmGateResult,
  type TokenScores,
} from '../detection';
import { readGgufInfo } from '../llm/gguf';
import type { CheckResult, LmModelRef } from './types';

/** Text tokens scored per text (as `palimpsest detect --lm-model`). */
export const LM_MAX_TOKENS = 512;

/** What checks need from the LLM layer; the app passes its LlmService (structural, so checks do not import it). */
export interface LmScorer {
  /** @throws AppError not_found for an id that is not an installed model. */
  installedModel(id: string): Promise<LmModelRef & { path?: string; parameters?: number }>;
  /** @throws AppError (the model cannot be loaded, scoring failed or was aborted). */
  scoreText(
    id: string,
    text: string,
    options: { maxTokens?: number; signal?: AbortSignal },
  ): Promise<TokenScores & { truncated: boolean }>;
}

/**
 * The detector's result with the model's view folded in. A text without a verdict is not scored
 * (its result comes back unchanged, `lm_assisted: false`), as in the CLI.
 */
export async function assistWithLm(
  result: DetectionResult,
  text: string,
  model: LmModelRef,
  scorer: LmScorer,
  signal?: AbortSignal,
): Promise<CheckResult> {
  if (result.abstained) return { ...result, lm_assisted: false, lm_logit_shift: 0, lm_model: model };
  const started = performance.now();
  const score = await scorer.scoreText(model.id, text, { maxTokens: LM_MAX_TOKENS, ...(signal ? { signal } : {}) });
  return {
    ...combineWithLm(result, lmFeatures(score)),
    lm_model: model,
    lm_truncated: score.truncated,
    lm_ms: Math.round(performance.now() - started),
  };
}

/**
 * The LM sanity gate for an installed model: parameters counted from its GGUF tensors, then (only
 * when the floor is met) perplexity on the fixed English reference text.
 */
export async function measureLmGate(id: string, scorer: LmScorer): Promise<LmGateResult> {
  const found = await scorer.installedModel(id);
  let parameters: number | null = found.parameters ?? null;
  if (parameters === null && found.path) parameters = countParameters((await readGgufInfo(found.path)).tensors);
  let referencePerplexity: number | null = null;
  const first = judgeLmGate({ parameters, referencePerplexity: 1 });
  if (first.usable) {
    const score = await scorer.scoreText(id, REFERENCE_TEXT, { maxTokens: LM_MAX_TOKENS });
    referencePerplexity = perplexityOf(score.logprobs);
  }
  return judgeLmGate({ parameters, referencePerplexity });
}
