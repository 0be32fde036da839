/**
 * A unit's stylometric profile (function words, punctuation, sentence and word length, vocabulary,
 * character trigrams) and the distance features between two profiles the change classifier reads.
 * Reuses detection's style features so both capabilities measure style the same way.
 */
import { computeStyle, selectStyleFeatures, StyleInputs } from '../detection/style-features';
import { FUNCTION_WORDS } from '../detection/function-words';
import { tokenize } from '../detection/text-units';

const FW_FEATURES = selectStyleFeatures(FUNCTION_WORDS.map((w) => `fw:${w}`));
const PUNCT_FEATURES = selectStyleFeatures([
  'comma',
  'semicolon',
  'colon',
  'exclaim',
  'question',
  'quote',
  'paren',
  'dash',
  'emdash',
]);
const SHAPE_FEATURES = selectStyleFeatures([
  'word_len_mean',
  'word_len_std',
  'long_words',
  'sent_len_mean',
  'contractions',
  'first_person',
  'suffix_tion',
  'suffix_ly',
  'suffix_ing',
  'caps_words',
]);

export interface UnitProfile {
  words: number;
  fw: Float64Array;
  punct: Float64Array;
  shape: Float64Array;
  ttr: number;
  /** Character trigram counts (lower-cased, whitespace collapsed). */
  trigrams: Map<string, number>;
  /** Content word counts (not function words). */
  content: Map<string, number>;
}

const FW_SET = new Set(FUNCTION_WORDS);

export function unitProfile(text: string): UnitProfile {
  const tokens = tokenize(text);
  const inputs = new StyleInputs(text, tokens, null, null, null);
  const trigrams = new Map<string, number>();
  const norm = ` ${text.toLowerCase().replace(/\s+/g, ' ')} `;
  for (let i = 0; i + 3 <= norm.length; i++) {
    const g = norm.slice(i, i + 3);
    trigrams.set(g, (trigrams.get(g) ?? 0) + 1);
  }
  const content = new Map<string, number>();
  for (const t of tokens) if (!FW_SET.has(t)) content.set(t, (content.get(t) ?? 0) + 1);
  return {
    words: tokens.length,
    fw: computeStyle(FW_FEATURES, inputs),
    punct: computeStyle(PUNCT_FEATURES, inputs),
    shape: computeStyle(SHAPE_FEATURES, inputs),
    ttr: new Set(tokens).size / Math.max(1, tokens.length),
    trigrams,
    content,
  };
}

/** Names of the pair features, in the order pairFeatures returns them (part of the model file). */
export const PAIR_FEATURE_NAMES = [
  'fw_cosine_distance',
  'char3_cosine_distance',
  'content_cosine_distance',
  'punct_l1',
  'word_len_diff',
  'word_len_std_diff',
  'long_words_diff',
  'sent_len_diff',
  'contractions_diff',
  'first_person_diff',
  'suffix_diff',
  'caps_diff',
  'ttr_diff',
  'log_min_words',
  'log_len_ratio',
] as const;

/** Distance features between two units (symmetric). */
export function pairFeatures(a: UnitProfile, b: UnitProfile): number[] {
  const d = (i: number): number => Math.abs(a.shape[i]! - b.shape[i]!);
  return [
    1 - cosineArr(a.fw, b.fw),
    1 - cosineMap(a.trigrams, b.trigrams),
    1 - cosineMap(a.content, b.content),
    l1(a.punct, b.punct),
    d(0),
    d(1),
    d(2),
    d(3),
    d(4),
    d(5),
    d(6) + d(7) + d(8),
    d(9),
    Math.abs(a.ttr - b.ttr),
    Math.log1p(Math.min(a.words, b.words)),
    Math.abs(Math.log1p(a.words) - Math.log1p(b.words)),
  ];
}

/** Profile of several texts together (an author's samples, a run of units). */
export function mergeTexts(texts: readonly string[]): UnitProfile {
  return unitProfile(texts.join('\n\n'));
}

function cosineArr(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function cosineMap(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w !== undefined) dot += v * w;
  }
  for (const v of b.values()) nb += v * v;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function l1(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s;
}
