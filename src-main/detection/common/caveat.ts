/**
 * The one plain-language sentence beside a verdict. Says what the score means in checkable terms
 * (how often human / LLM texts of this length score this high) instead of a bare "likelihood",
 * and never gives a number for an abstained result.
 */
import type { DetectionResult } from '../types';
import { describeMeaning, VERDICT_LABELS } from './bands';

/** If an LLM was involved, what it most likely did (lower case, no full stop). */
export const ROLE_IF_LLM: Record<'polished' | 'extended' | 'generated', string> = {
  polished: 'revised or rephrased a human text',
  extended: 'continued or added to a human text',
  generated: 'wrote the text from a prompt',
};

/**
 * Where a mixed document changes author, in plain words; null without a shown boundary. `raised`:
 * the whole text scores below the band, only its LLM side reaches it.
 */
export function boundarySentence(
  r: Pick<DetectionResult, 'verdict' | 'structure' | 'llm_side' | 'ai_probability' | 'inconclusive_from'>,
): string | null {
  if (r.verdict === 'human' || !r.llm_side || (r.structure !== 'suffix' && r.structure !== 'block')) return null;
  const from = `‘${r.llm_side.opening}’`;
  const what =
    r.structure === 'suffix'
      ? `the part from ${from} on reads differently from the start: an LLM may have continued it`
      : `the passage from ${from} reads differently from the writing around it: an LLM may have added it`;
  const raised = r.ai_probability < r.inconclusive_from;
  return raised
    ? `The text as a whole scores like human writing, but ${what}.`
    : `${what[0]!.toUpperCase()}${what.slice(1)}.`;
}

export function caveatFor(
  r: Pick<
    DetectionResult,
    | 'abstained'
    | 'abstain_reason'
    | 'verdict'
    | 'role'
    | 'score_meaning'
    | 'word_count'
    | 'structure'
    | 'llm_side'
    | 'ai_probability'
    | 'inconclusive_from'
  >,
  minWords: number,
): string {
  if (r.abstained && r.abstain_reason === 'too_short')
    return `Too short to judge: ${r.word_count} words, at least ${minWords} are needed. No verdict is given.`;
  if (r.abstained)
    return 'This does not look like English; the detector was trained on English text and gives no verdict.';
  const meaning = r.score_meaning ? ` ${describeMeaning(r.score_meaning)}` : '';
  const boundary = boundarySentence(r);
  const where = boundary ? ` ${boundary}` : '';
  const how =
    r.verdict === 'llm' && r.role !== 'human' ? ` If an LLM was involved, most likely it ${ROLE_IF_LLM[r.role]}.` : '';
  const tail =
    r.verdict === 'llm'
      ? ' A statistical estimate, not proof: formal or formulaic human writing can score this high.'
      : ' A statistical estimate, not proof.';
  return `${VERDICT_LABELS[r.verdict]}.${meaning}${where}${how}${tail}`;
}
