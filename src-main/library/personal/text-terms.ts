/**
 * Lexical term vectors for the personal reranker's similarity features and the intent summary:
 * lower-cased words without stop words, with a light suffix stemmer (so "pins" and "pinned" meet),
 * log-scaled term frequency, cosine similarity. Pure and small on purpose: it runs over the ~100
 * candidates of one query and the curated passages, never over the whole library.
 */

const STOP = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her here hers ' +
    'him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ' +
    'ours out over own same she should so some such than that the their theirs them then there these they this those ' +
    'through to too under until up upon very was we were what when where which while who whom why will with would ' +
    'you your yours shall may might must also been which its one two us ever every within without made make many much'
  ).split(' '),
);

/** "Governments" → "govern", "taxation" → "tax", "pinned" → "pin": crude, but the same both sides. */
export function stem(word: string): string {
  let w = word;
  for (const suffix of [
    'ational',
    'ations',
    'ation',
    'ments',
    'ment',
    'ness',
    'ings',
    'ing',
    'edly',
    'ed',
    'ies',
    'es',
    's',
    'ly',
  ]) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // "pinn" → "pin": a doubled last consonant left by -ed/-ing.
  if (w.length >= 4 && w.at(-1) === w.at(-2) && !/[aeiou]/.test(w.at(-1)!)) w = w.slice(0, -1);
  return w;
}

/** The content terms of a text, stemmed, in order. */
export function terms(text: string): string[] {
  return words(text).map(stem);
}

/** The content words of a text, lower-cased, not stemmed. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/\p{L}[\p{L}\p{N}'’-]*/gu)) {
    const w = m[0].replace(/['’-]+$/u, '').replace(/['’]s$/u, '');
    if (w.length < 3 || STOP.has(w)) continue;
    out.push(w);
  }
  return out;
}

/** Stem → the word it most often came from in `texts` (expansion terms are shown and searched as words). */
export function surfaceForms(texts: Iterable<string>): Map<string, string> {
  const seen = new Map<string, Map<string, number>>();
  for (const text of texts)
    for (const w of words(text)) {
      const s = stem(w);
      const m = seen.get(s) ?? new Map<string, number>();
      m.set(w, (m.get(w) ?? 0) + 1);
      seen.set(s, m);
    }
  const out = new Map<string, string>();
  for (const [s, m] of seen) out.set(s, [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0]);
  return out;
}

/** Term → count. */
export function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** A sparse unit vector: log-scaled tf × idf (idf 1 when none is given). */
export type TermVector = Map<string, number>;

export function termVector(counts: ReadonlyMap<string, number>, idf?: (term: string) => number): TermVector {
  const v: TermVector = new Map();
  let norm = 0;
  for (const [t, c] of counts) {
    const x = (1 + Math.log(c)) * (idf ? idf(t) : 1);
    if (x <= 0) continue;
    v.set(t, x);
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, x] of v) v.set(t, x / norm);
  return v;
}

export function cosine(a: TermVector, b: TermVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, x] of small) {
    const y = large.get(t);
    if (y !== undefined) dot += x * y;
  }
  return dot;
}

/** Smoothed inverse document frequency over a set of texts' term counts. */
export function idfOver(docs: Iterable<ReadonlyMap<string, number>>): (term: string) => number {
  const df = new Map<string, number>();
  let n = 0;
  for (const d of docs) {
    n++;
    for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return (t) => Math.log(1 + (n + 1) / ((df.get(t) ?? 0) + 0.5));
}
