/**
 * Terms for the no-download dense method (LSA): lower-cased letter/digit runs, English stop words
 * dropped, light suffix stripping so "models"/"model" and "sampling"/"sample" meet. (BM25 uses
 * FTS5's own Porter tokenizer; this one only has to be consistent between chunks and queries.)
 */
const STOP = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her here hers ' +
    'him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ' +
    'ours out over own same she should so some such than that the their theirs them then there these they this those ' +
    'through to too under until up very was we were what when where which while who whom why will with would you your yours'
  ).split(' '),
);

export function stem(w: string): string {
  if (w.length <= 4) return w;
  if (w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.endsWith('ing') && w.length > 6) return w.slice(0, -3);
  if (w.endsWith('ed') && w.length > 5) return w.slice(0, -2);
  if (w.endsWith('es') && /(s|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** Word → term ('' for a stop word): a library repeats the same words millions of times. */
const memo = new Map<string, string>();
const MEMO_SIZE = 200_000;

/** The terms of a text, in order (with repeats). */
export function terms(text: string): string[] {
  const out: string[] = [];
  // split() is several times faster than matchAll() on long texts.
  for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (w.length < 2 || w.length > 40) continue;
    let t = memo.get(w);
    if (t === undefined) {
      t = STOP.has(w) ? '' : stem(w);
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(w, t);
    }
    if (t) out.push(t);
  }
  return out;
}
