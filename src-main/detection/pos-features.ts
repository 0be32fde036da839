/**
 * Part-of-speech rates (wink-nlp's English "lite" model, MIT, bundled in npm; no download).
 * Tag unigram and bigram rates describe syntax habits without topic words, one of the few style
 * signals that survives a change of domain.
 */
import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

// Universal POS tags, the rare ones merged into OTHER so each bigram keeps enough counts.
const TAGS = ['ADJ', 'ADP', 'ADV', 'AUX', 'CCONJ', 'DET', 'NOUN', 'PRON', 'PROPN', 'PUNCT', 'SCONJ', 'VERB', 'OTHER'];
const TAG_INDEX = new Map(TAGS.map((t, i) => [t, i]));
const T = TAGS.length;

export const POS_FEATURE_NAMES: readonly string[] = [
  ...TAGS.map((t) => `pos:${t}`),
  ...TAGS.flatMap((a) => TAGS.map((b) => `pos2:${a}_${b}`)),
];

let nlp: WinkMethods | null = null;

function tagger(): WinkMethods {
  // Loaded on first use (~0.3 s): feature sets without POS never pay for it.
  nlp ??= winkNLP(model, ['pos']);
  return nlp;
}

/** Square-root rates of tags (per token) and tag bigrams (per bigram), in POS_FEATURE_NAMES order. */
export function posFeatures(text: string): Float64Array {
  const out = new Float64Array(POS_FEATURE_NAMES.length);
  const w = tagger();
  const tags = w.readDoc(text).tokens().out(w.its.pos) as string[];
  let prev = -1;
  let n = 0;
  let pairs = 0;
  for (const tag of tags) {
    if (tag === 'SPACE') continue;
    const t = TAG_INDEX.get(tag) ?? T - 1;
    out[t]! += 1;
    n++;
    if (prev >= 0) {
      out[T + prev * T + t]! += 1;
      pairs++;
    }
    prev = t;
  }
  for (let i = 0; i < T; i++) out[i] = Math.sqrt(out[i]! / Math.max(1, n));
  for (let i = T; i < out.length; i++) out[i] = Math.sqrt(out[i]! / Math.max(1, pairs));
  return out;
}
