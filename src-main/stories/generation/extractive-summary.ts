import { splitSentences } from '../common/story-text';

/**
 * An extractive summary that needs no model: TextRank over sentences (Mihalcea & Tarau 2004),
 * with similarity = shared content words normalised by sentence lengths (log), PageRank with
 * damping 0.85. The `count` highest-ranked sentences are returned in story order. Deterministic.
 */
export function extractiveSummary(text: string, count: number): string {
  const sentences = splitSentences(text);
  if (sentences.length <= count) return sentences.join(' ');
  const bags = sentences.map(contentWords);
  const n = sentences.length;
  const weights: number[][] = bags.map((a, i) => bags.map((b, j) => (i === j ? 0 : similarity(a, b))));
  const outSum = weights.map((row) => row.reduce((s, w) => s + w, 0));
  let rank = new Array<number>(n).fill(1 / n);
  for (let iter = 0; iter < 50; iter++) {
    const next = new Array<number>(n).fill((1 - 0.85) / n);
    for (let j = 0; j < n; j++) {
      if (outSum[j] === 0) {
        // A sentence sharing no word with any other spreads its rank evenly (no sink).
        for (let i = 0; i < n; i++) next[i]! += (0.85 * rank[j]!) / n;
        continue;
      }
      for (let i = 0; i < n; i++) next[i]! += (0.85 * rank[j]! * weights[j]![i]!) / outSum[j]!;
    }
    const delta = next.reduce((s, v, i) => s + Math.abs(v - rank[i]!), 0);
    rank = next;
    if (delta < 1e-9) break;
  }
  const chosen = rank
    .map((r, i) => ({ r, i }))
    // Ties go to the earlier sentence, so the result does not depend on sort stability.
    .sort((a, b) => b.r - a.r || a.i - b.i)
    .slice(0, count)
    .map((x) => x.i)
    .sort((a, b) => a - b);
  return chosen.map((i) => sentences[i]).join(' ');
}

const STOP_WORDS = new Set(
  (
    'a an the and or but if then so of to in on at by for with from as is was were be been are am it its ' +
    'he she they we you i me him her them us my his their our your this that these those there here not no ' +
    'had has have do did does said says what who when where which while into out up down over very just'
  ).split(' '),
);

function contentWords(sentence: string): Set<string> {
  const words = sentence.toLowerCase().match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  return new Set(words.filter((w) => w.length > 1 && !STOP_WORDS.has(w)));
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size < 1 || b.size < 1) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  if (shared === 0) return 0;
  return shared / (Math.log(a.size + 1) + Math.log(b.size + 1));
}
