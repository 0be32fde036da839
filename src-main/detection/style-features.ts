/**
 * The style block of the feature vector as one table of (name, compute) pairs: a feature's name and
 * its formula sit on the same line, so adding, removing or reordering one cannot silently shift the
 * others. A spec (features.json) selects and orders a subset by name. The statistics several
 * features share (one pass over the tokens, the sentence split ...) are computed once per text, on
 * first use, by StyleInputs.
 */
import { deflateRawSync } from 'node:zlib';
import { misspellingRate } from './dictionary';
import { CONTRACTION, FUNCTION_WORDS, FUNCTION_WORD_INDEX } from './function-words';
import { isCjkToken, splitParagraphs, splitSentences, type TextSpan } from './text-units';

/** Cross-source word lists (FeatureSpec.lexicon). */
export interface Lexicon {
  ai: string[];
  human: string[];
}

/** One style feature: its name in FeatureSpec.style and its raw (unstandardized) value for a text. */
export interface StyleFeature {
  readonly name: string;
  readonly compute: (s: StyleInputs) => number;
}

// Words LLM output is known to over-use (public observation across GPT/Llama families).
const LLM_LEXICON = new Set(
  (
    'additionally furthermore moreover overall crucial essential vital significant significantly ' +
    'potential enhance enhancing ensure ensuring various utilize utilizing foster fostering comprehensive ' +
    'notably ultimately valuable insights insight landscape realm tapestry navigate navigating intricate ' +
    'pivotal robust seamless leverage leveraging underscore underscores highlight highlights highlighting ' +
    'showcase showcasing emphasize emphasizes multifaceted nuanced paramount delve delves delving ' +
    'diverse individuals numerous facilitate innovative invaluable profound resonate commendable ' +
    'meticulous bolster garner noteworthy subsequently consequently approach aspects aspect impact ' +
    'impacts effectively crucially vibrant journey embark showcased remarkable enabling'
  ).split(' '),
);

// Sentence openers LLM prose leans on.
const TRANSITIONS =
  /^(?:however|additionally|furthermore|moreover|overall|in conclusion|ultimately|consequently|therefore|in addition|as a result|in summary|firstly|secondly|lastly|finally|while|by)\b/i;
// Contractions typed without the apostrophe: a strong sign of a hurried human writer.
const NO_APOSTROPHE = new Set(
  'dont cant wont im ive didnt isnt doesnt thats theyre youre wasnt wouldnt couldnt shouldnt arent whats hes shes lets'.split(
    ' ',
  ),
);
// Lower-case standalone "i": a typing habit of people, almost never produced by LLMs.
const LOWER_I = /(?:^|\s)i(?=[\s,.'’])/g;

/** Shared statistics of one text, each computed on first use. */
export class StyleInputs {
  /** Token count, at least 1 (a divisor). */
  readonly n: number;
  /** Index splitting the tokens into halves, for the shift features. */
  readonly half: number;
  private _tokenPass?: TokenPass;
  private _suffixPass?: SuffixPass;
  private _sentences?: { spans: TextSpan[]; lens: number[]; mean: number; std: number };
  private _paragraphs?: { spans: TextSpan[]; lens: number[] };
  private _diversity?: { ttr: number; hapax: number };
  private _shift?: [number, number, number];
  private _rarity?: [number, number, number];
  private _lexicon?: [number, number];

  constructor(
    readonly text: string,
    readonly tokens: readonly string[],
    /** word -> frequency rank (FeatureSpec.vocab); null = the rarity features are 0. */
    readonly ranks: ReadonlyMap<string, number> | null,
    readonly lexicon: { ai: ReadonlySet<string>; human: ReadonlySet<string> } | null,
    /** FeatureSpec.dictionary's words; null = typo_rate is 0. */
    readonly dictionary: ReadonlySet<string> | null,
  ) {
    this.n = Math.max(1, tokens.length);
    this.half = tokens.length >> 1;
  }

  get tokenPass(): TokenPass {
    return (this._tokenPass ??= tokenPass(this.tokens));
  }

  get suffixPass(): SuffixPass {
    return (this._suffixPass ??= suffixPass(this.tokens));
  }

  get sentences(): { spans: TextSpan[]; lens: number[]; mean: number; std: number } {
    if (!this._sentences) {
      const spans = splitSentences(this.text);
      const lens = spans.map((s) => countWordsFast(this.text, s.start, s.end));
      this._sentences = { spans, lens, ...meanStd(lens) };
    }
    return this._sentences;
  }

  get paragraphs(): { spans: TextSpan[]; lens: number[] } {
    if (!this._paragraphs) {
      const spans = splitParagraphs(this.text);
      this._paragraphs = { spans, lens: spans.map((p) => countWordsFast(this.text, p.start, p.end)) };
    }
    return this._paragraphs;
  }

  get diversity(): { ttr: number; hapax: number } {
    return (this._diversity ??= windowDiversity(this.tokens, 50));
  }

  /** [function-word shift, sentence-length shift, word-length shift] between the halves; 0s for short texts. */
  get shift(): [number, number, number] {
    return (this._shift ??= this.half > 20 ? halfShift(this) : [0, 0, 0]);
  }

  /** [out-of-vocabulary rate, rare-word rate, mean log rank]; 0s without a vocabulary. */
  get rarity(): [number, number, number] {
    return (this._rarity ??= this.ranks ? rarity(this.tokens, this.ranks) : [0, 0, 0]);
  }

  /** [AI lexicon, human lexicon] distinct words per sqrt(length); 0s without a lexicon. */
  get lexiconRates(): [number, number] {
    return (this._lexicon ??= this.lexicon ? lexiconRates(this.tokens, this.lexicon) : [0, 0]);
  }

  /** Occurrences of `re` (global) per 100 tokens, square-rooted. */
  per100(re: RegExp): number {
    return Math.sqrt(((this.text.match(re)?.length ?? 0) / this.n) * 100);
  }
}

interface TokenPass {
  fwCounts: Float64Array;
  lex: number;
  contr: number;
  first: number;
  lenSum: number;
  lenSq: number;
  longW: number;
}

function tokenPass(tokens: readonly string[]): TokenPass {
  const p: TokenPass = {
    fwCounts: new Float64Array(FUNCTION_WORDS.length),
    lex: 0,
    contr: 0,
    first: 0,
    lenSum: 0,
    lenSq: 0,
    longW: 0,
  };
  for (const t of tokens) {
    const fi = FUNCTION_WORD_INDEX.get(t);
    if (fi !== undefined) p.fwCounts[fi]!++;
    if (LLM_LEXICON.has(t)) p.lex++;
    if (CONTRACTION.test(t)) p.contr++;
    if (t === 'i' || t === 'me' || t === 'my' || t === "i'm" || t === "i've") p.first++;
    const L = isCjkToken(t) ? 1.5 : t.length;
    p.lenSum += L;
    p.lenSq += L * L;
    if (L >= 9) p.longW++;
  }
  return p;
}

interface SuffixPass {
  tion: number;
  ly: number;
  ing: number;
  noApo: number;
}

function suffixPass(tokens: readonly string[]): SuffixPass {
  const p: SuffixPass = { tion: 0, ly: 0, ing: 0, noApo: 0 };
  for (const t of tokens) {
    if (t.length > 5 && (t.endsWith('tion') || t.endsWith('ment') || t.endsWith('ness') || t.endsWith('ity'))) p.tion++;
    if (t.length > 4 && t.endsWith('ly')) p.ly++;
    if (t.length > 5 && t.endsWith('ing')) p.ing++;
    if (NO_APOSTROPHE.has(t)) p.noApo++;
  }
  return p;
}

/** The style features, in the order of STYLE_FEATURE_NAMES. */
export const STYLE_FEATURES: readonly StyleFeature[] = [
  ...FUNCTION_WORDS.map((w, i): StyleFeature => ({
    name: `fw:${w}`,
    compute: (s) => Math.sqrt(s.tokenPass.fwCounts[i]! / s.n),
  })),
  { name: 'llm_lexicon', compute: (s) => Math.sqrt(s.tokenPass.lex / s.n) },
  {
    name: 'llm_lexicon_shift',
    compute: (s) => (s.half > 20 ? lexRate(s.tokens, s.half, s.tokens.length) - lexRate(s.tokens, 0, s.half) : 0),
  },
  { name: 'contractions', compute: (s) => Math.sqrt(s.tokenPass.contr / s.n) },
  { name: 'first_person', compute: (s) => Math.sqrt(s.tokenPass.first / s.n) },
  { name: 'lower_i', compute: (s) => Math.sqrt((s.text.match(LOWER_I)?.length ?? 0) / s.n) },
  { name: 'word_len_mean', compute: (s) => s.tokenPass.lenSum / s.n },
  {
    name: 'word_len_std',
    compute: (s) => {
      const mean = s.tokenPass.lenSum / s.n;
      return Math.sqrt(Math.max(0, s.tokenPass.lenSq / s.n - mean * mean));
    },
  },
  { name: 'long_words', compute: (s) => s.tokenPass.longW / s.n },
  { name: 'sent_len_mean', compute: (s) => Math.log1p(s.sentences.mean) },
  { name: 'sent_len_cv', compute: (s) => (s.sentences.mean > 0 ? s.sentences.std / s.sentences.mean : 0) },
  { name: 'sent_len_maxdiff', compute: (s) => Math.log1p(maxNeighbourDiff(s.sentences.lens)) },
  { name: 'ttr_window', compute: (s) => s.diversity.ttr },
  { name: 'hapax_window', compute: (s) => s.diversity.hapax },
  { name: 'comma', compute: (s) => s.per100(/,|，/g) },
  { name: 'semicolon', compute: (s) => s.per100(/;|；/g) },
  { name: 'colon', compute: (s) => s.per100(/:|：/g) },
  { name: 'exclaim', compute: (s) => s.per100(/!|！/g) },
  { name: 'question', compute: (s) => s.per100(/\?|？/g) },
  { name: 'quote', compute: (s) => s.per100(/["“”]/g) },
  { name: 'paren', compute: (s) => s.per100(/[()（）]/g) },
  { name: 'dash', compute: (s) => s.per100(/ - | -- |—|–/g) },
  { name: 'digits', compute: (s) => Math.sqrt((s.text.match(/\d/g)?.length ?? 0) / Math.max(1, s.text.length)) },
  { name: 'caps_words', compute: (s) => s.per100(/\b[A-Z]{2,}\b/g) },
  { name: 'lower_sent_start', compute: lowerSentenceStarts },
  { name: 'space_before_punct', compute: (s) => s.per100(/ [,.;:!?]/g) },
  { name: 'double_space', compute: (s) => s.per100(/\S {2,}\S/g) },
  { name: 'para_len_mean', compute: (s) => Math.log1p(s.n / Math.max(1, s.paragraphs.spans.length)) },
  // Shift between halves: an LLM continuing a human draft changes style mid-text.
  { name: 'fw_shift', compute: (s) => s.shift[0] },
  { name: 'sent_len_shift', compute: (s) => s.shift[1] },
  { name: 'word_len_shift', compute: (s) => s.shift[2] },
  { name: 'transition_start', compute: transitionStarts },
  { name: 'suffix_tion', compute: (s) => Math.sqrt(s.suffixPass.tion / s.n) },
  { name: 'suffix_ly', compute: (s) => Math.sqrt(s.suffixPass.ly / s.n) },
  { name: 'suffix_ing', compute: (s) => Math.sqrt(s.suffixPass.ing / s.n) },
  { name: 'no_apostrophe', compute: (s) => Math.sqrt(s.suffixPass.noApo / s.n) },
  // Share of word bigrams that occur more than once: people repeat themselves more.
  { name: 'bigram_repeat', compute: (s) => bigramRepeat(s.tokens) },
  {
    name: 'para_len_cv',
    compute: (s) => {
      const { mean, std } = meanStd(s.paragraphs.lens);
      return mean > 0 ? std / mean : 0;
    },
  },
  { name: 'emdash', compute: (s) => s.per100(/—|–/g) },
  // Rarity: LLMs pick mid-frequency "polished" words; people (young and non-native writers
  // especially) use common words plus misspellings, which fall outside the vocabulary.
  { name: 'oov_rate', compute: (s) => s.rarity[0] },
  { name: 'rare_rate', compute: (s) => s.rarity[1] },
  { name: 'mean_log_rank', compute: (s) => s.rarity[2] },
  // Compressibility of a fixed-size window: a cheap entropy proxy.
  { name: 'deflate_ratio', compute: (s) => deflateRatio(s.text.slice(0, 1500)) },
  { name: 'lex_ai', compute: (s) => s.lexiconRates[0] },
  { name: 'lex_human', compute: (s) => s.lexiconRates[1] },
  { name: 'typo_rate', compute: typoRate },
];

/** Every style feature the extractor knows; a spec selects and orders a subset. */
export const STYLE_FEATURE_NAMES: readonly string[] = STYLE_FEATURES.map((f) => f.name);

const FEATURE_BY_NAME = new Map(STYLE_FEATURES.map((f) => [f.name, f]));

/** The features named (FeatureSpec.style), in that order; throws on a name the extractor does not know. */
export function selectStyleFeatures(names: readonly string[]): StyleFeature[] {
  const unknown = names.filter((n) => !FEATURE_BY_NAME.has(n));
  if (unknown.length > 0) throw new Error(`unknown style feature(s): ${unknown.join(', ')}`);
  return names.map((n) => FEATURE_BY_NAME.get(n)!);
}

/** Raw values of `features` for one text. */
export function computeStyle(features: readonly StyleFeature[], inputs: StyleInputs): Float64Array {
  const out = new Float64Array(features.length);
  for (let i = 0; i < features.length; i++) out[i] = features[i]!.compute(inputs);
  return out;
}

function lowerSentenceStarts(s: StyleInputs): number {
  const spans = s.sentences.spans;
  let lower = 0;
  for (const sp of spans) {
    const c = s.text[sp.start]!;
    if (c >= 'a' && c <= 'z') lower++;
  }
  return spans.length > 0 ? lower / spans.length : 0;
}

function transitionStarts(s: StyleInputs): number {
  const spans = s.sentences.spans;
  let trans = 0;
  for (const sp of spans) if (TRANSITIONS.test(s.text.slice(sp.start, Math.min(sp.end, sp.start + 20)))) trans++;
  return spans.length ? trans / spans.length : 0;
}

function halfShift(s: StyleInputs): [number, number, number] {
  const { tokens, half, text } = s;
  const a = fwVector(tokens, 0, half);
  const b = fwVector(tokens, half, tokens.length);
  const mid = text.length >> 1;
  const la: number[] = [];
  const lb: number[] = [];
  const { spans, lens } = s.sentences;
  for (let i = 0; i < spans.length; i++) (spans[i]!.start < mid ? la : lb).push(lens[i]!);
  return [
    1 - cosine(a, b),
    Math.abs(Math.log1p(meanStd(la).mean) - Math.log1p(meanStd(lb).mean)),
    Math.abs(meanLen(tokens, 0, half) - meanLen(tokens, half, tokens.length)),
  ];
}

function bigramRepeat(tokens: readonly string[]): number {
  const seen = new Map<string, number>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    const k = tokens[i]! + ' ' + tokens[i + 1]!;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  let rep = 0;
  for (const c of seen.values()) if (c > 1) rep += c;
  return tokens.length > 1 ? rep / (tokens.length - 1) : 0;
}

function rarity(tokens: readonly string[], ranks: ReadonlyMap<string, number>): [number, number, number] {
  let alpha = 0;
  let oov = 0;
  let rare = 0;
  let logRank = 0;
  let inVocab = 0;
  for (const t of tokens) {
    if (t.length < 3 || !/^[a-z]+$/.test(t)) continue;
    alpha++;
    const r = ranks.get(t);
    if (r === undefined) oov++;
    else {
      inVocab++;
      logRank += Math.log(r);
      if (r > 5000) rare++;
    }
  }
  return [Math.sqrt(oov / Math.max(1, alpha)), Math.sqrt(rare / Math.max(1, alpha)), inVocab ? logRank / inVocab : 0];
}

function deflateRatio(win: string): number {
  const bytes = Buffer.byteLength(win);
  return bytes > 0 ? deflateRawSync(win).length / bytes : 0;
}

function lexiconRates(
  tokens: readonly string[],
  lexicon: { ai: ReadonlySet<string>; human: ReadonlySet<string> },
): [number, number] {
  let a = 0;
  let h = 0;
  for (const t of new Set(tokens)) {
    if (lexicon.ai.has(t)) a++;
    else if (lexicon.human.has(t)) h++;
  }
  // Distinct words, scaled by sqrt(length): document-frequency lists, length-stabilized.
  const scale = Math.sqrt(Math.max(1, tokens.length));
  return [a / scale, h / scale];
}

function typoRate(s: StyleInputs): number {
  if (!s.dictionary) return 0;
  const { checked, missing } = misspellingRate(s.text, s.dictionary);
  return Math.sqrt(missing / Math.max(20, checked));
}

function maxNeighbourDiff(xs: readonly number[]): number {
  let maxDiff = 0;
  for (let i = 1; i < xs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(xs[i]! - xs[i - 1]!));
  return maxDiff;
}

function lexRate(tokens: readonly string[], from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) if (LLM_LEXICON.has(tokens[i]!)) c++;
  return Math.sqrt(c / Math.max(1, to - from));
}

function fwVector(tokens: readonly string[], from: number, to: number): Float64Array {
  const v = new Float64Array(FUNCTION_WORDS.length);
  for (let i = from; i < to; i++) {
    const fi = FUNCTION_WORD_INDEX.get(tokens[i]!);
    if (fi !== undefined) v[fi]!++;
  }
  return v;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 1;
}

function meanLen(tokens: readonly string[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += tokens[i]!.length;
  return s / Math.max(1, to - from);
}

function meanStd(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: 0, std: 0 };
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let v = 0;
  for (const x of xs) v += (x - mean) * (x - mean);
  return { mean, std: Math.sqrt(v / xs.length) };
}

/** Whitespace-separated words in text[start, end); CJK characters count 0.67 each. */
function countWordsFast(text: string, start: number, end: number): number {
  let c = 0;
  let inWord = false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || code === 10 || code === 9 || code === 13;
    if (code >= 0x3040 && code <= 0x9fff) {
      c += 0.67;
      inWord = false;
    } else if (!space && !inWord) {
      c++;
      inWord = true;
    } else if (space) inWord = false;
  }
  return c;
}

// Moving-window type/token and hapax ratios: length-independent lexical diversity.
function windowDiversity(tokens: readonly string[], w: number): { ttr: number; hapax: number } {
  if (tokens.length < 2) return { ttr: 1, hapax: 1 };
  const win = Math.min(w, tokens.length);
  let ttrSum = 0;
  let hapSum = 0;
  let k = 0;
  for (let s = 0; s + win <= tokens.length; s += win) {
    const counts = new Map<string, number>();
    for (let i = s; i < s + win; i++) counts.set(tokens[i]!, (counts.get(tokens[i]!) ?? 0) + 1);
    let hap = 0;
    for (const c of counts.values()) if (c === 1) hap++;
    ttrSum += counts.size / win;
    hapSum += hap / win;
    k++;
  }
  return { ttr: ttrSum / k, hapax: hapSum / k };
}
