/**
 * How the Detect view words and draws a verdict, from the core's agreement rules
 * (src-main/detection/common): the band is the headline, a score is shown as a position on the
 * band scale and as what it means, roles only under an `llm` verdict, nothing numeric when the
 * detector abstained. Pure, so the rules are unit-tested apart from the components.
 */
import type { CheckResult } from '../../../../src-main/checks';
import type { DetectionResult, SegmentResult } from '../../../../src-main/detection';
import {
  describeMeaning,
  OPERATING_POINT_LABELS,
  sharePct,
  VERDICT_EXPLANATIONS,
  VERDICT_LABELS,
  type Verdict,
} from '../../../../src-main/detection/common/bands';
import { ROLE_IF_LLM } from '../../../../src-main/detection/common/caveat';
import { describeLmShift } from '../../../../src-main/detection/common/lm-gate';

export { OPERATING_POINT_LABELS, sharePct, VERDICT_EXPLANATIONS, VERDICT_LABELS };
export { describeRates } from '../../../../src-main/detection/common/bands';

type Result = Pick<
  DetectionResult,
  | 'abstained'
  | 'verdict'
  | 'role'
  | 'structure'
  | 'segments'
  | 'score_meaning'
  | 'operating_point'
  | 'threshold'
  | 'inconclusive_from'
  | 'ai_probability'
>;

/** The verdict a result shows: `abstained` when the detector gave none. */
export type ShownVerdict = Verdict | 'abstained';

export const shownVerdict = (r: Pick<DetectionResult, 'abstained' | 'verdict'>): ShownVerdict =>
  r.abstained ? 'abstained' : r.verdict;

/** Whether the "If an LLM was involved, most likely it …" section (role bars) may appear at all. */
export const showsRoles = (r: Pick<DetectionResult, 'abstained' | 'verdict' | 'role'>): boolean =>
  !r.abstained && r.verdict === 'llm' && r.role !== 'human';

/** "most likely it continued or added to a human text", or null when no role may be shown. */
export function roleSentence(r: Pick<DetectionResult, 'abstained' | 'verdict' | 'role'>): string | null {
  return showsRoles(r) && r.role !== 'human' ? ROLE_IF_LLM[r.role] : null;
}

/** A score on the 0–100 scale the bands are drawn on (not a percentage: it is not a likelihood). */
export const score100 = (p: number): string => String(Math.round(p * 100));

/** "Judged at the strict operating point: LLM involvement likely from 77, inconclusive from 73." */
export function judgedAt(r: Pick<DetectionResult, 'operating_point' | 'threshold' | 'inconclusive_from'>): string {
  const point = OPERATING_POINT_LABELS[r.operating_point].replace(' (default)', '').toLowerCase();
  return `Judged at the ${point} operating point: “${VERDICT_LABELS.llm}” from a score of ${score100(r.threshold)}, “${VERDICT_LABELS.inconclusive}” from ${score100(r.inconclusive_from)}.`;
}

/** What the score means in checkable terms, or null (abstained, or a model without distributions). */
export function meaningText(r: Pick<DetectionResult, 'abstained' | 'score_meaning'>): string | null {
  return !r.abstained && r.score_meaning ? describeMeaning(r.score_meaning) : null;
}

/** The band a passage is tinted by: none under `human`, light when inconclusive, strong when `llm`. */
export const segmentTint = (s: Pick<SegmentResult, 'verdict'>): 'none' | 'inconclusive' | 'llm' =>
  s.verdict === 'human' ? 'none' : s.verdict;

/**
 * The document's structure in words (mixed documents), or null when there is nothing to say: no
 * verdict, a `human` verdict (no boundaries then), or one passage only.
 */
export function structureText(r: Result): string | null {
  if (r.abstained || r.verdict === 'human' || r.segments.length < 2) return null;
  const n = r.segments.length;
  const llmSide = r.segments.map((s, i) => ({ i, llm: s.verdict === 'llm' }));
  const changes = r.segments.map((s, i) => (s.authorship_change ? i : -1)).filter((i) => i > 0);
  const lean = r.verdict === 'llm' ? 'likely' : 'possibly';
  // Raised by the boundary rule (common/structure.ts verdictWithBoundary): only the LLM side reaches the band.
  const raised =
    r.verdict === 'inconclusive' && r.ai_probability < r.inconclusive_from
      ? ' The text as a whole scores like human writing; only that part scores in the inconclusive band.'
      : '';
  if (r.structure === 'suffix' && changes.length > 0)
    return `Mixed: a human start ${lean} continued by an LLM. Authorship ${lean} changes at passage ${changes[0]! + 1} of ${n}.${raised}`;
  if (r.structure === 'block' && changes.length > 0) {
    const from = changes[0]! + 1;
    const to = changes.length > 1 ? changes[1]! : n;
    const where = from === to ? `passage ${from}` : `passages ${from}–${to}`;
    return `Mixed: an LLM passage ${lean} inside human writing (${where} of ${n}).${raised}`;
  }
  if (r.verdict !== 'llm') return null;
  const flagged = llmSide.filter((x) => x.llm).length;
  if (r.role === 'generated') return `No change of author found: the text reads as LLM-written throughout.`;
  return `No change of author found: the LLM evidence is spread over the text (${flagged} of ${n} passages), as when an LLM revises a human text.`;
}

/** The LM-assisted shift in the core's plain words ("This model's view raised the score from 41% to 58%."). */
export function lmShiftText(r: CheckResult): string | null {
  if (!r.lm_model || !r.lm_assisted) return null;
  if (r.lm_shift_note) return r.lm_shift_note;
  return r.lm_score_before === undefined ? null : describeLmShift(r.lm_score_before, r.ai_probability);
}

/** Counts of a batch's results by the verdict they show. */
export function verdictCounts(results: readonly Pick<DetectionResult, 'abstained' | 'verdict'>[]) {
  const c: Record<ShownVerdict, number> = { human: 0, inconclusive: 0, llm: 0, abstained: 0 };
  for (const r of results) c[shownVerdict(r)]++;
  return c;
}

/** The share of human texts of this length that score this high, for the batch table; null when not known. */
export function humanShareText(r: Pick<DetectionResult, 'abstained' | 'score_meaning'>): string | null {
  return !r.abstained && r.score_meaning ? sharePct(r.score_meaning.humanShare) : null;
}
