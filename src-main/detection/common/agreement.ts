/**
 * The agreement rules, in one place: every detection result passes through `agreeWithVerdict`
 * (the detector, LM-assisted mode) and every output takes its numbers from `shownNumbers` (CLI
 * table and JSONL, CSV, HTML report, Detect view).
 * - a role other than `human` only when the verdict is `llm` (documents and segments);
 * - under a `human` verdict no passage is tinted, no authorship change is marked and no LLM side given;
 * - an abstained result (too short, not English) shows no numbers at all.
 */
import type { DetectionResult, SegmentResult } from '../types';
import type { Verdict } from './bands';

const RANK: Record<Verdict, number> = { human: 0, inconclusive: 1, llm: 2 };

/** The result with its role, segment roles, tints and boundaries made consistent with its verdict. */
export function agreeWithVerdict<T extends DetectionResult>(r: T): T {
  const verdict: Verdict = r.abstained ? 'inconclusive' : r.verdict;
  const segments = r.segments.map((s): SegmentResult => {
    if (r.abstained || verdict === 'human') return { ...s, role: 'human', verdict: 'human', authorship_change: false };
    // A passage never reads stronger than the document in a text not judged `llm`.
    const v: Verdict = verdict === 'llm' ? s.verdict : RANK[s.verdict] > RANK[verdict] ? verdict : s.verdict;
    return { ...s, verdict: v, role: verdict === 'llm' && v === 'llm' ? s.role : 'human' };
  });
  const out: T = { ...r, verdict, role: verdict === 'llm' ? r.role : 'human', segments };
  // The LLM side of a boundary is shown only with the boundary itself.
  if (r.abstained || verdict === 'human') delete out.llm_side;
  return out;
}

/** The numbers an output may show beside a result; null when it abstained. */
export interface ShownNumbers {
  aiProbability: number;
  band: [number, number];
  involvement: number;
  roleProbs: DetectionResult['role_probs'];
}

export function shownNumbers(
  r: Pick<DetectionResult, 'abstained' | 'ai_probability' | 'confidence_band' | 'involvement' | 'role_probs'>,
): ShownNumbers | null {
  if (r.abstained) return null;
  return {
    aiProbability: r.ai_probability,
    band: r.confidence_band,
    involvement: r.involvement,
    roleProbs: r.role_probs,
  };
}
