/**
 * The one verdict a detection result gives, in three bands, and the rules every output (CLI table
 * and JSONL, CSV, HTML report, Detect view) follows so the numbers beside a verdict agree with it.
 * Pure: shared by the detector, the checks capability and the renderer.
 */

export const VERDICTS = ['human', 'inconclusive', 'llm'] as const;
/** `human`: no sign of LLM involvement; `inconclusive`; `llm`: LLM involvement likely. */
export type Verdict = (typeof VERDICTS)[number];

export const OPERATING_POINTS = ['strict', 'standard'] as const;
/**
 * `strict` (default): the flag threshold keeps every known human population at ≤ 1 % false
 * positives out-of-source. `standard`: a lower flag threshold (see models/detect/MODEL_CARD.md).
 */
export type OperatingPoint = (typeof OPERATING_POINTS)[number];

/** Thresholds on the calibrated AI probability: `llm` at or above `flag`, `inconclusive` at or above `floor`. */
export interface VerdictBand {
  flag: number;
  floor: number;
}

export function verdictFor(aiProbability: number, band: VerdictBand): Verdict {
  if (aiProbability >= band.flag) return 'llm';
  if (aiProbability >= band.floor) return 'inconclusive';
  return 'human';
}

export const VERDICT_LABELS: Record<Verdict, string> = {
  human: 'No sign of LLM involvement',
  inconclusive: 'Inconclusive',
  llm: 'LLM involvement likely',
};

export const VERDICT_EXPLANATIONS: Record<Verdict, string> = {
  human: 'the text scores like human writing',
  inconclusive:
    'the text, or a part of it, scores between typical human and typical LLM writing; it cannot be told either way',
  llm: 'the text scores higher than nearly all human writing the detector was tested on',
};

export const OPERATING_POINT_LABELS: Record<OperatingPoint, string> = {
  strict: 'Strict (default)',
  standard: 'Standard',
};

/**
 * How often texts of a length scored at or above a value, from out-of-source (leave-one-source-out)
 * predictions on the project's corpora, every source weighted equally within its class.
 */
export interface ScoreDistribution {
  /** Score grid: `grid[i]` is a calibrated AI probability. */
  grid: number[];
  buckets: {
    minWords: number;
    /** Exclusive; null = no upper bound. */
    maxWords: number | null;
    /** Share of human texts scoring ≥ grid[i]. */
    human: number[];
    /** Share of LLM-involved texts scoring ≥ grid[i]. */
    llm: number[];
    nHuman: number;
    nLlm: number;
  }[];
}

/** What a score means in checkable terms: how often human and LLM texts of this length score this high. */
export interface ScoreMeaning {
  /** Share of held-out human / LLM-involved texts of this length scoring at least this high. */
  humanShare: number;
  llmShare: number;
  /** Share scoring no higher than this (below the next grid step): what a low score means. */
  humanAtOrBelow: number;
  llmAtOrBelow: number;
  minWords: number;
  maxWords: number | null;
}

export function scoreMeaning(dist: ScoreDistribution, words: number, aiProbability: number): ScoreMeaning | null {
  const b = dist.buckets.find((x) => words >= x.minWords && (x.maxWords === null || words < x.maxWords));
  if (!b || dist.grid.length === 0) return null;
  // The last grid value not above the score: "scored this high" means ≥ that value.
  let i = 0;
  while (i + 1 < dist.grid.length && dist.grid[i + 1]! <= aiProbability) i++;
  const next = i + 1 < dist.grid.length ? i + 1 : -1;
  return {
    humanShare: b.human[i]!,
    llmShare: b.llm[i]!,
    humanAtOrBelow: next < 0 ? 1 : 1 - b.human[next]!,
    llmAtOrBelow: next < 0 ? 1 : 1 - b.llm[next]!,
    minWords: b.minWords,
    maxWords: b.maxWords,
  };
}

/** A share as a readable percentage: "<1%" rather than a misleading "0%" for small non-zero shares. */
export function sharePct(x: number): string {
  if (x > 0 && x < 0.01) return '<1%';
  if (x < 1 && x > 0.99) return '>99%';
  return `${Math.round(x * 100)}%`;
}

/**
 * "Human texts of 150–300 words score this high 3% of the time; LLM-involved texts 41%". A score
 * below most human texts' is told from the other side ("score this low or lower"): that almost
 * every text scores at least 5 says nothing a teacher can use.
 */
export function describeMeaning(m: ScoreMeaning): string {
  const len = m.maxWords === null ? `over ${m.minWords} words` : `of ${m.minWords}–${m.maxWords} words`;
  if (m.humanShare > 0.5)
    return `Human texts ${len} score this low or lower ${sharePct(m.humanAtOrBelow)} of the time; LLM-involved texts ${sharePct(m.llmAtOrBelow)}.`;
  return `Human texts ${len} score this high ${sharePct(m.humanShare)} of the time; LLM-involved texts ${sharePct(m.llmShare)}.`;
}

/** The rates of an operating point measured out-of-source, for where the educator picks it. */
export interface OperatingPointRates {
  threshold: number;
  /** Source-balanced share of held-out human texts flagged. */
  humanFlagged: number;
  /** Highest share flagged in one held-out human population. */
  worstHumanFlagged: number;
  /** Source-balanced share of held-out LLM-involved texts flagged. */
  llmCaught: number;
}

/** "flags 0.3% of human texts (worst group 1.1%), catches 4% of LLM texts, measured on sources it had not seen". */
export function describeRates(r: OperatingPointRates): string {
  const p = (x: number): string => (x > 0 && x < 0.1 ? `${(x * 100).toFixed(1)}%` : `${Math.round(x * 100)}%`);
  return `flags ${p(r.humanFlagged)} of human texts (worst group ${p(r.worstHumanFlagged)}) and catches ${p(r.llmCaught)} of LLM-involved texts, measured on sources it had not seen`;
}
