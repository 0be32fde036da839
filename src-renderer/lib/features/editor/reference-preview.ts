/**
 * What an LLM operation will get from the Library's pinned passages, shown before it runs: the
 * same word bound the suggestion service applies (src-main/authoring/operations/reference-passages.ts;
 * reference-preview.test.ts checks the two agree), so the preview is what the model sees.
 */

/** Mirrors MAX_REFERENCE_WORDS / MAX_REFERENCE_PASSAGES of the suggestion service (that file needs Node). */
export const REFERENCE_WORD_BOUND = 2_000;
export const REFERENCE_PASSAGE_BOUND = 50;

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

/** The passages in order until the word bound; the one crossing it is cut, the rest left out. */
export function previewReferences(
  passages: readonly ReferenceCandidate[],
  maxWords = REFERENCE_WORD_BOUND,
): ReferencePreview {
  const used: ReferencePreview['used'] = [];
  let words = 0;
  for (const p of passages.slice(0, REFERENCE_PASSAGE_BOUND)) {
    const room = maxWords - words;
    if (room <= 0) break;
    const all = p.text.trim().split(/\s+/u).filter(Boolean).length;
    const n = Math.min(all, room);
    words += n;
    used.push({ id: p.id, doc: p.doc, chunk: p.chunk, page: p.page, words: n, cut: all > room });
  }
  return { used, left: passages.length - used.length, words };
}

/** "report.pdf p. 3" / "notes.md #2", as the provenance report cites passages. */
export const citeReference = (p: { doc: string; page: number | null; chunk: number }): string =>
  p.page !== null ? `${p.doc} p. ${p.page}` : `${p.doc} #${p.chunk + 1}`;
