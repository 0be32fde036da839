/**
 * LM-assisted mode (optional, off by default): zero-shot features from a local language model's
 * token log-probabilities, folded into the shipped detector's verdict as a small, bounded shift of
 * its calibrated AI logit. The default `detect()` path never calls this.
 *
 * The weight and scale here are NOT validated on real LLM text (only the 260 K-parameter TinyStories
 * model is available offline): this is plumbing. See models/detect/MODEL_CARD.md, "LM-assisted mode".
 */
import { sigmoid } from './calibration';
import { agreeWithVerdict } from './common/agreement';
import { verdictFor } from './common/bands';
import { caveatFor } from './common/caveat';
import { describeLmShift } from './common/lm-gate';
import { roleFromStructure, verdictWithBoundary } from './common/structure';
import type { DetectionResult } from './types';
import { clamp01, combineInvolvement, decideRole, ROLE_NAMES } from './verdict';
import { MIN_WORDS } from './detector';

/**
 * What the features need from a scored text: per-position arrays, as returned by the local engine's
 * `scoreText` (src-main/llm/local). Structural, so detection does not depend on the LLM layer.
 */
export interface TokenScores {
  /** log p of each actual token given its prefix (natural log, ≤ 0). */
  logprobs: readonly number[];
  /** Mean of log p under the model's own next-token distribution at the same position. */
  expectedLogprob: readonly number[];
  /** Variance of log p under that distribution. */
  variance: readonly number[];
  /** Entropy (nats) of that distribution. */
  entropy: readonly number[];
}

/** Document-level LM features (all 0 when no position was scored). */
export interface LmFeatures {
  /** Positions scored (= `logprobs.length`). */
  tokens: number;
  /** Mean token log-probability (−log perplexity); higher = more predictable to the model. */
  meanLogprob: number;
  /**
   * Analytical Fast-DetectGPT criterion with the scoring model as its own sampling model:
   * Σ(log p − μ) / √(Σ σ²). About N(0, 1) for text sampled from that model; positive when the text
   * is more predictable than the model's own samples (typical of LLM output), negative when less
   * (typical of human text, and of scrambled text).
   */
  fastDetectGptScore: number;
  /** Mean next-token entropy (nats): −mean μ. */
  meanEntropy: number;
  /**
   * Single-model Binoculars-style ratio: log-perplexity / mean entropy (with one model the
   * cross-perplexity reduces to the entropy). Lower = more machine-like. 0 when the entropy is 0.
   */
  binocularsScore: number;
}

/** Options for `combineWithLm`. */
export interface CombineWithLmOptions {
  /**
   * Largest logit shift, in calibrated-logit units: the shift is `weight · tanh(score / FDG_SCALE)`,
   * so |shift| < weight. Clamped to [0, MAX_LM_WEIGHT]. Default 1 (about ±23 points at p = 0.5).
   */
  weight?: number;
}

/** A detection result that went through `combineWithLm`. */
export type LmAssistedResult = DetectionResult & {
  /** True when the LM features moved the verdict's probability; false when skipped (abstained or too few tokens). */
  lm_assisted: boolean;
  lm_features: LmFeatures;
  /** Logit shift applied to ai_probability (0 when not assisted). */
  lm_logit_shift: number;
  /** The detector's own score before the model's view, and the shift in plain words. */
  lm_score_before?: number;
  lm_shift_note?: string;
};

/** Fast-DetectGPT criterion (in z units) at which the shift reaches tanh(1) ≈ 76 % of `weight`. */
export const FDG_SCALE = 3;
/** Upper bound on `weight`: the LM may move the calibrated logit by less than this. */
export const MAX_LM_WEIGHT = 2;
/** Fewer scored tokens than this and the criterion is too noisy: no shift. */
export const MIN_LM_TOKENS = 16;
const DEFAULT_WEIGHT = 1;
/** Probabilities stay in [P_MIN, 1 − P_MIN] so the logit of a rounded 0 or 1 stays finite. */
const P_MIN = 1e-4;

/** Document-level features from per-token scores (see `LmFeatures`). */
export function lmFeatures(score: TokenScores): LmFeatures {
  const n = score.logprobs.length;
  if (n === 0) return { tokens: 0, meanLogprob: 0, fastDetectGptScore: 0, meanEntropy: 0, binocularsScore: 0 };
  let sumLogprob = 0;
  let sumDiff = 0;
  let sumVar = 0;
  let sumEntropy = 0;
  for (let i = 0; i < n; i++) {
    const lp = score.logprobs[i]!;
    sumLogprob += lp;
    sumDiff += lp - score.expectedLogprob[i]!;
    sumVar += score.variance[i]!;
    sumEntropy += score.entropy[i]!;
  }
  const meanLogprob = sumLogprob / n;
  const meanEntropy = sumEntropy / n;
  return {
    tokens: n,
    meanLogprob,
    // A zero-variance text (every position certain) carries no evidence either way.
    fastDetectGptScore: sumVar > 0 ? sumDiff / Math.sqrt(sumVar) : 0,
    meanEntropy,
    binocularsScore: meanEntropy > 0 ? -meanLogprob / meanEntropy : 0,
  };
}

/** The logit shift `combineWithLm` applies for these features: weight · tanh(score / FDG_SCALE), 0 below MIN_LM_TOKENS. */
export function lmLogitShift(features: LmFeatures, weight = DEFAULT_WEIGHT): number {
  if (features.tokens < MIN_LM_TOKENS || !Number.isFinite(features.fastDetectGptScore)) return 0;
  const w = Math.min(MAX_LM_WEIGHT, Math.max(0, Number.isFinite(weight) ? weight : 0));
  return w * Math.tanh(features.fastDetectGptScore / FDG_SCALE);
}

/**
 * Folds LM features into a result from `detect()`: ai_probability moves by `lmLogitShift` on the
 * logit scale (up when the text is more predictable than the model's own samples), clamped to
 * [1e-4, 1 − 1e-4]; the confidence band moves with it; role, involvement and caveat are recomputed
 * at the result's own threshold. Abstained results (and texts with fewer than MIN_LM_TOKENS scored
 * tokens) keep every field and get `lm_assisted: false`. Paragraph segments keep the shipped
 * model's scores: the LM features are document-level. Does not modify `result`.
 */
export function combineWithLm(
  result: DetectionResult,
  features: LmFeatures,
  options: CombineWithLmOptions = {},
): LmAssistedResult {
  const shift = result.abstained ? 0 : lmLogitShift(features, options.weight);
  if (shift === 0) return { ...result, lm_assisted: false, lm_features: features, lm_logit_shift: 0 };

  const move = (p: number): number => round(clampP(sigmoid(logit(p) + shift)));
  const aiProbability = move(result.ai_probability);
  const rp = result.role_probs;
  const roleProbs = [rp.human, rp.polished, rp.extended, rp.generated];
  const band = { flag: result.threshold, floor: result.inconclusive_from };
  // The LLM side of a shown boundary keeps its own evidence (segments keep the shipped scores).
  const verdict = verdictWithBoundary(verdictFor(aiProbability, band), result.llm_side?.ai_probability ?? null, band);
  const roleIdx =
    verdict !== 'llm'
      ? 0
      : result.structure
        ? roleFromStructure(result.structure, roleProbs)
        : decideRole(roleProbs, 1, 0);
  const role = ROLE_NAMES[roleIdx]!;
  // The score's meaning came from the detector's own distribution: the moved score has none.
  const moved = agreeWithVerdict({ ...result, verdict, role, score_meaning: null, ai_probability: aiProbability });
  return {
    ...moved,
    ai_probability: aiProbability,
    confidence_band: [move(result.confidence_band[0]), move(result.confidence_band[1])],
    involvement: round(combineInvolvement(regressionOf(result), aiProbability, result.threshold)),
    caveat: `${caveatFor(moved, MIN_WORDS)} ${describeLmShift(result.ai_probability, aiProbability)}`,
    lm_assisted: true,
    lm_features: features,
    lm_logit_shift: round(shift),
    lm_score_before: result.ai_probability,
    lm_shift_note: describeLmShift(result.ai_probability, aiProbability),
  };
}

/**
 * Undoes `combineInvolvement`'s scaling to recover the regression head's share (approximately: the
 * stored involvement is rounded to 4 decimals). Below the threshold it was scaled by min(1, p / 0.5).
 */
function regressionOf(result: DetectionResult): number {
  const p = result.ai_probability;
  if (p >= result.threshold || p >= 0.5) return result.involvement;
  return p > 0 ? clamp01(result.involvement / (p / 0.5)) : result.involvement;
}

const clampP = (p: number): number => Math.min(1 - P_MIN, Math.max(P_MIN, p));
const logit = (p: number): number => {
  const q = clampP(p);
  return Math.log(q / (1 - q));
};
const round = (x: number): number => Math.round(x * 10000) / 10000;
