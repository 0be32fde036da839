/**
 * The bound on library passages an LLM operation may use as reference, as a pure rule: the
 * suggestion service applies it (operations/reference-passages.ts) and the editor previews it
 * before anything runs, so the preview is exactly what the model gets.
 */

/** Words in all: a prompt for a small local model stays small. */
export const MAX_REFERENCE_WORDS = 2_000;
/** Most passages one request may name. */
export const MAX_REFERENCE_PASSAGES = 50;

export interface BudgetedPassage<P> {
  passage: P;
  /** The text as the model sees it: whole (trimmed), or cut at a word with " …". */
  text: string;
  words: number;
  /** True when the word bound cut it. */
  cut: boolean;
}

/**
 * The passages in order until `maxWords` words: the one that would cross the bound is cut at a
 * word boundary, the ones after it are left out (not returned).
 */
export function budgetReferences<P extends { text: string }>(
  passages: readonly P[],
  maxWords = MAX_REFERENCE_WORDS,
): BudgetedPassage<P>[] {
  const out: BudgetedPassage<P>[] = [];
  let used = 0;
  for (const passage of passages) {
    const room = maxWords - used;
    if (room <= 0) break;
    const all = passage.text.trim().split(/\s+/u).filter(Boolean);
    const cut = all.length > room;
    const words = Math.min(all.length, room);
    used += words;
    out.push({ passage, text: cut ? `${all.slice(0, room).join(' ')} …` : passage.text.trim(), words, cut });
  }
  return out;
}

/** "report.pdf p. 3" / "notes.md #2" (chunk index, 1-based for people), as the provenance report cites passages. */
export function citation(p: { doc: string; page: number | null; chunk: number }): string {
  return p.page !== null ? `${p.doc} p. ${p.page}` : `${p.doc} #${p.chunk + 1}`;
}
