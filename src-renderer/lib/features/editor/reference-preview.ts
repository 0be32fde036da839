/**
 * What an LLM operation will get from the Library's pinned passages, shown before it runs: the
 * suggestion service's own word bound (src-main/authoring/common/reference-budget.ts), so the
 * preview is what the model sees.
 */
import {
  budgetReferences,
  MAX_REFERENCE_PASSAGES,
  MAX_REFERENCE_WORDS,
} from '../../../../src-main/authoring/common/reference-budget';

export interface ReferenceCandidate {
  id: number;
  doc: string;
  chunk: number;
  page: number | null;
  text: string;
}

export interface ReferencePreview {
  used: Array<{ id: number; doc: string; chunk: number; page: number | null; words: number; cut: boolean }>;
  /** Passages the bound leaves out. */
  left: number;
  words: number;
}

/**
 * The passages the operation will send (their ids go as `passages`, so at most
 * MAX_REFERENCE_PASSAGES) under the word bound: the one crossing it is cut, the rest left out.
 */
export function previewReferences(
  passages: readonly ReferenceCandidate[],
  maxWords = MAX_REFERENCE_WORDS,
): ReferencePreview {
  const budgeted = budgetReferences(passages.slice(0, MAX_REFERENCE_PASSAGES), maxWords);
  const used = budgeted.map(({ passage: p, words, cut }) => ({
    id: p.id,
    doc: p.doc,
    chunk: p.chunk,
    page: p.page,
    words,
    cut,
  }));
  return { used, left: passages.length - used.length, words: used.reduce((n, u) => n + u.words, 0) };
}
