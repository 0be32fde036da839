/**
 * Pure text marking for the Library view: the query's terms in a passage, and passages (character
 * ranges) in their source text. Pieces always join back to the exact input text.
 */

/** Words too common to be worth marking in a passage. */
const STOPWORDS = new Set(
  'a an and are as at be but by for from has have he her his i in is it its of on or she that the their them they this to was were what when where which who will with you your'.split(
    ' ',
  ),
);

/** A word's stem for marking: "sampling", "sampled" and "samples" all mark as "sampl". */
export function stem(word: string): string {
  const w = word.toLowerCase();
  for (const suffix of ['ingly', 'edly', 'ing', 'ies', 'ied', 'ed', 'es', 'ly', 's']) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) return w.slice(0, -suffix.length);
  }
  return w;
}

/** The distinct stems of a query worth marking (no stopwords, at least 2 letters), longest first. */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const stems = new Set(words.filter((w) => w.length >= 2 && !STOPWORDS.has(w)).map(stem));
  return [...stems].sort((a, b) => b.length - a.length);
}

export interface Piece {
  text: string;
  /** Whether this piece is marked (a query term, or the passage in its source). */
  mark: boolean;
}

/** Splits `text` into pieces, marking each word that starts with one of `terms` (from queryTerms). */
export function markTerms(text: string, terms: readonly string[]): Piece[] {
  if (terms.length === 0 || text === '') return [{ text, mark: false }];
  const out: Piece[] = [];
  let at = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = m[0].toLowerCase();
    if (!terms.some((t) => word.startsWith(t))) continue;
    const start = m.index;
    if (start > at) push(out, text.slice(at, start), false);
    push(out, m[0], true);
    at = start + m[0].length;
  }
  if (at < text.length) push(out, text.slice(at), false);
  return out;
}

/** Splits `text` into pieces, marking [start, end) (clamped to the text; an empty range marks nothing). */
export function markRange(text: string, start: number, end: number): Piece[] {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const out: Piece[] = [];
  push(out, text.slice(0, s), false);
  push(out, text.slice(s, e), true);
  push(out, text.slice(e), false);
  return out.length > 0 ? out : [{ text, mark: false }];
}

/** Appends a piece, joining it to the previous one when both are marked alike; drops empty text. */
function push(out: Piece[], text: string, mark: boolean): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.mark === mark) last.text += text;
  else out.push({ text, mark });
}
