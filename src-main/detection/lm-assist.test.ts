import { describe, expect, it } from 'vitest';
import {
  combineWithLm,
  FDG_SCALE,
  lmFeatures,
  lmLogitShift,
  MAX_LM_WEIGHT,
  MIN_LM_TOKENS,
  type LmFeatures,
} from './lm-assist';
import type { DetectionResult } from './types';

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function result(over: Partial<DetectionResult> = {}): DetectionResult {
  return {
    verdict: 'human',
    operating_point: 'strict',
    inconclusive_from: 0.5,
    structure: null,
    score_meaning: null,
    role: 'human',
    role_probs: { human: 0.5, polished: 0.1, extended: 0.15, generated: 0.25 },
    involvement: 0.2,
    ai_probability: 0.4,
    confidence_band: [0.3, 0.5],
    threshold: 0.6,
    abstained: false,
    caveat: 'No strong sign of LLM involvement (40% likelihood). This is a statistical estimate, not proof.',
    word_count: 200,
    language: 'en',
    segments: [],
    ...over,
  };
}

function features(fastDetectGptScore: number, tokens = 100): LmFeatures {
  return { tokens, meanLogprob: -2, fastDetectGptScore, meanEntropy: 2, binocularsScore: 1 };
}

describe('lmFeatures', () => {
  it('computes mean logprob, the analytical Fast-DetectGPT criterion, entropy and the Binoculars ratio', () => {
    const f = lmFeatures({
      logprobs: [-1, -2, -3],
      expectedLogprob: [-2, -2, -2],
      variance: [1, 2, 1],
      entropy: [2, 2, 2],
    });
    expect(f.tokens).toBe(3);
    expect(f.meanLogprob).toBeCloseTo(-2);
    // Σ(logp − μ) = 1 + 0 − 1 = 0.
    expect(f.fastDetectGptScore).toBeCloseTo(0);
    expect(f.meanEntropy).toBeCloseTo(2);
    expect(f.binocularsScore).toBeCloseTo(1);

    const g = lmFeatures({
      logprobs: [-0.5, -0.5],
      expectedLogprob: [-1.5, -2.5],
      variance: [2, 2],
      entropy: [1.5, 2.5],
    });
    expect(g.fastDetectGptScore).toBeCloseTo(3 / 2); // (1 + 2) / √4
    expect(g.binocularsScore).toBeCloseTo(0.5 / 2);
  });

  it('is all zeros for no tokens and 0 criterion for zero variance', () => {
    expect(lmFeatures({ logprobs: [], expectedLogprob: [], variance: [], entropy: [] })).toEqual({
      tokens: 0,
      meanLogprob: 0,
      fastDetectGptScore: 0,
      meanEntropy: 0,
      binocularsScore: 0,
    });
    const f = lmFeatures({ logprobs: [0], expectedLogprob: [0], variance: [0], entropy: [0] });
    expect(f.fastDetectGptScore).toBe(0);
    expect(f.binocularsScore).toBe(0);
  });
});

describe('lmLogitShift', () => {
  it('is weight · tanh(score / FDG_SCALE), bounded by the clamped weight', () => {
    expect(lmLogitShift(features(FDG_SCALE), 1)).toBeCloseTo(Math.tanh(1));
    expect(lmLogitShift(features(-FDG_SCALE), 1)).toBeCloseTo(-Math.tanh(1));
    expect(lmLogitShift(features(0))).toBe(0);
    expect(lmLogitShift(features(1e6), 10)).toBeCloseTo(MAX_LM_WEIGHT);
    expect(lmLogitShift(features(1e6), -3)).toBe(0);
    expect(lmLogitShift(features(5), Number.NaN)).toBe(0);
    expect(lmLogitShift(features(Number.NaN))).toBe(0);
  });

  it('is 0 below MIN_LM_TOKENS', () => {
    expect(lmLogitShift(features(10, MIN_LM_TOKENS - 1))).toBe(0);
    expect(lmLogitShift(features(10, MIN_LM_TOKENS))).toBeGreaterThan(0);
  });
});

describe('combineWithLm', () => {
  it('moves ai_probability up on the logit scale for a positive criterion, and down for a negative one', () => {
    const base = result();
    const up = combineWithLm(base, features(FDG_SCALE), { weight: 1 });
    expect(up.lm_assisted).toBe(true);
    expect(up.lm_logit_shift).toBeCloseTo(Math.tanh(1), 4);
    expect(up.ai_probability).toBeCloseTo(sigmoid(logit(0.4) + Math.tanh(1)), 4);
    expect(up.confidence_band[0]).toBeCloseTo(sigmoid(logit(0.3) + Math.tanh(1)), 4);
    expect(up.confidence_band[1]).toBeCloseTo(sigmoid(logit(0.5) + Math.tanh(1)), 4);
    const down = combineWithLm(base, features(-FDG_SCALE), { weight: 1 });
    expect(down.ai_probability).toBeLessThan(base.ai_probability);
    expect(down.lm_features.fastDetectGptScore).toBe(-FDG_SCALE);
    expect(base.ai_probability).toBe(0.4); // input untouched
  });

  it('recomputes the verdict at the same threshold, with the 4-role head choosing how', () => {
    const flagged = combineWithLm(result({ ai_probability: 0.55 }), features(100), { weight: 2 });
    expect(flagged.threshold).toBe(0.6);
    expect(flagged.ai_probability).toBeGreaterThanOrEqual(0.6);
    expect(flagged.role).toBe('generated');
    expect(flagged.verdict).toBe('llm');
    expect(flagged.caveat).toMatch(/^LLM involvement likely\. If an LLM was involved, most likely it wrote the text/);
    // The shift in plain words, never "logit".
    expect(flagged.caveat).toMatch(/This model's view raised the score from 55% to \d+%\.$/);
    expect(flagged.lm_shift_note).not.toMatch(/logit/i);
    // Involvement: below 0.5 it was scaled by p / 0.5; above the threshold it is the regression head's.
    const scaled = combineWithLm(result({ ai_probability: 0.25, involvement: 0.1 }), features(100), { weight: 2 });
    expect(scaled.ai_probability).toBeGreaterThan(0.6);
    expect(scaled.involvement).toBeCloseTo(0.2, 3);
    const cleared = combineWithLm(result({ role: 'generated', ai_probability: 0.65 }), features(-100), { weight: 2 });
    expect(cleared.role).toBe('human');
    expect(cleared.verdict).toBe('human');
    expect(cleared.caveat).toMatch(/^No sign of LLM involvement\..*lowered the score from 65% to/);
  });

  it('keeps a shown boundary: the LLM side keeps its own evidence when the document score falls', () => {
    const mixed = result({
      verdict: 'inconclusive',
      structure: 'suffix',
      ai_probability: 0.45,
      llm_side: { ai_probability: 0.55, opening: 'Furthermore, summer…' },
    });
    const down = combineWithLm(mixed, features(-100), { weight: 2 });
    expect(down.ai_probability).toBeLessThan(0.45);
    expect(down.verdict).toBe('inconclusive');
    expect(down.caveat).toContain('but the part from ‘Furthermore, summer…’ on reads differently');
    const below = combineWithLm({ ...mixed, llm_side: { ai_probability: 0.45, opening: 'x' } }, features(-100), {
      weight: 2,
    });
    expect(below.verdict).toBe('human');
    expect(below.llm_side).toBeUndefined();
  });
  it('keeps probabilities inside (0, 1) and the shift below the weight', () => {
    const high = combineWithLm(result({ ai_probability: 1, confidence_band: [0.99, 1] }), features(1e9), {
      weight: 50,
    });
    expect(high.ai_probability).toBeLessThan(1);
    expect(high.lm_logit_shift).toBeLessThanOrEqual(MAX_LM_WEIGHT);
    const low = combineWithLm(result({ ai_probability: 0, confidence_band: [0, 0.01] }), features(-1e9));
    expect(low.ai_probability).toBeGreaterThan(0);
    expect(Number.isFinite(logit(low.confidence_band[0]))).toBe(true);
  });

  it('leaves abstained and too-short results as they are', () => {
    const abstained = result({ abstained: true, abstain_reason: 'too_short', ai_probability: 0.45 });
    const out = combineWithLm(abstained, features(100), { weight: 2 });
    expect(out).toEqual({ ...abstained, lm_assisted: false, lm_features: features(100), lm_logit_shift: 0 });
    const few = combineWithLm(result(), features(100, 3));
    expect(few.lm_assisted).toBe(false);
    expect(few.ai_probability).toBe(0.4);
  });
});
