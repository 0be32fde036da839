/**
 * Feature extraction shared by training (scripts/detect/train.ts) and inference (detector.ts).
 * A document becomes one sparse vector: a block of signed-hashed word / character n-grams
 * (sublinear TF, L2-normalised) followed by a small block of standardized style features.
 * The spec (models/detect/features.json) pins every choice so the ONNX weights line up.
 */
import { deflateRawSync } from 'node:zlib';
import { dictionaryWords, misspellingRate } from './dictionary';
import { countWords, isCjkToken, splitParagraphs, splitSentences, tokenize } from './text-units';

/** Serialized feature definition; stored beside the ONNX model. */
export interface FeatureSpec {
  version: 1;
  /** Hashed block size is 2^hashBits. */
  hashBits: number;
  /** Word n-gram orders in the hashed block, e.g. [1, 2]; [] to disable. */
  wordNgrams: number[];
  /** Character n-gram orders in the hashed block, e.g. [3, 4]; [] to disable. */
  charNgrams: number[];
  /**
   * N-gram orders over the text's "skeleton": function words kept, every other word replaced by
   * its shape class (suffix / length). Captures syntax habits without topic (text distortion,
   * Stamatatos 2017), which transfers across domains far better than word n-grams.
   */
  skeletonNgrams?: number[];
  /**
   * Word list by corpus frequency (most frequent first), for rarity and out-of-vocabulary
   * (typo) rates. Built from the training texts; absent = those features are 0.
   */
  vocab?: string[];
  /**
   * Words whose document frequency differs between LLM and human text in the same direction in
   * every training source that has both (a lexicon validated across sources, not fitted to one).
   */
  lexicon?: { ai: string[]; human: string[] };
  /**
   * Word list (file beside features.json, see dictionary.ts) for the misspelling feature
   * `typo_rate`; absent = that feature is 0.
   */
  dictionary?: string;
  /** Weight of the whole hashed block relative to style features (0 disables it). */
  hashWeight: number;
  /** Names of the style features used (subset of STYLE_FEATURE_NAMES, in this order). */
  style: string[];
  /** Standardization of the style block, fitted on training data (same length as `style`). */
  styleMean: number[];
  styleStd: number[];
}

/** Sparse vector: parallel index / value arrays, indices ascending not required. */
export interface SparseVec {
  idx: Int32Array;
  val: Float32Array;
}

/** Total input width of the model for a spec. */
export function featureDim(spec: FeatureSpec): number {
  return (1 << spec.hashBits) + spec.style.length;
}

// Function words: topic-independent, so their rates describe style rather than subject.
const FUNCTION_WORDS = (
  'the a an and or but if then so because as of in on at to for from by with about into over after ' +
  'before between through during without within under again further once here there when where why how ' +
  'all any both each few more most other some such no nor not only own same than too very can will just ' +
  'should would could may might must shall do does did done have has had having be is are was were been ' +
  'being i me my we our you your he him his she her it its they them their this that these those which who ' +
  'whom what while also however therefore thus although though yet still even really actually like well ' +
  'maybe lot lots get got thing things think know'
).split(' ');

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

const CONTRACTION = /'(s|t|re|ve|ll|d|m)$/;

/** Every style feature the extractor knows; a spec selects and orders a subset. */
export const STYLE_FEATURE_NAMES: readonly string[] = [
  ...FUNCTION_WORDS.map((w) => `fw:${w}`),
  'llm_lexicon',
  'llm_lexicon_shift',
  'contractions',
  'first_person',
  'lower_i',
  'word_len_mean',
  'word_len_std',
  'long_words',
  'sent_len_mean',
  'sent_len_cv',
  'sent_len_maxdiff',
  'ttr_window',
  'hapax_window',
  'comma',
  'semicolon',
  'colon',
  'exclaim',
  'question',
  'quote',
  'paren',
  'dash',
  'digits',
  'caps_words',
  'lower_sent_start',
  'space_before_punct',
  'double_space',
  'para_len_mean',
  'fw_shift',
  'sent_len_shift',
  'word_len_shift',
  'transition_start',
  'suffix_tion',
  'suffix_ly',
  'suffix_ing',
  'no_apostrophe',
  'bigram_repeat',
  'para_len_cv',
  'emdash',
  'oov_rate',
  'rare_rate',
  'mean_log_rank',
  'deflate_ratio',
  'lex_ai',
  'lex_human',
  'typo_rate',
];

const lexiconCache = new WeakMap<object, { ai: Set<string>; human: Set<string> }>();

function lexiconSets(lex: FeatureSpec['lexicon']): { ai: Set<string>; human: Set<string> } | null {
  if (!lex) return null;
  let m = lexiconCache.get(lex);
  if (!m) {
    m = { ai: new Set(lex.ai), human: new Set(lex.human) };
    lexiconCache.set(lex, m);
  }
  return m;
}

const vocabCache = new WeakMap<readonly string[], Map<string, number>>();

/** word -> frequency rank (1 = most frequent), cached per spec vocabulary. */
export function vocabRanks(vocab: readonly string[] | undefined): Map<string, number> | null {
  if (!vocab || vocab.length === 0) return null;
  let m = vocabCache.get(vocab);
  if (!m) {
    m = new Map(vocab.map((w, i) => [w, i + 1]));
    vocabCache.set(vocab, m);
  }
  return m;
}

// Sentence openers LLM prose leans on.
const TRANSITIONS =
  /^(?:however|additionally|furthermore|moreover|overall|in conclusion|ultimately|consequently|therefore|in addition|as a result|in summary|firstly|secondly|lastly|finally|while|by)\b/i;
// Contractions typed without the apostrophe: a strong sign of a hurried human writer.
const NO_APOSTROPHE = new Set(
  'dont cant wont im ive didnt isnt doesnt thats theyre youre wasnt wouldnt couldnt shouldnt arent whats hes shes lets'.split(
    ' ',
  ),
);

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

function addHashed(acc: Map<number, number>, key: string, mask: number): void {
  const h = fnv1a(key);
  // Signed hashing keeps collisions unbiased (Weinberger et al. 2009).
  const sign = h >>> 31 === 1 ? -1 : 1;
  const slot = h & mask;
  acc.set(slot, (acc.get(slot) ?? 0) + sign);
}

function specDictionary(spec: FeatureSpec): ReadonlySet<string> | null {
  return spec.dictionary ? dictionaryWords(spec.dictionary) : null;
}

/** Raw (unstandardized) values of all STYLE_FEATURE_NAMES for a text. */
export function styleFeatures(
  text: string,
  tokens: readonly string[],
  ranks: Map<string, number> | null = null,
  lexicon: FeatureSpec['lexicon'] = undefined,
  dictionary: ReadonlySet<string> | null = null,
): Float64Array {
  const out = new Float64Array(STYLE_FEATURE_NAMES.length);
  const n = Math.max(1, tokens.length);
  const fwIndex = FW_INDEX;
  let o = 0;
  const fwCounts = new Float64Array(FUNCTION_WORDS.length);
  let lex = 0;
  let contr = 0;
  let first = 0;
  let lowerI = 0;
  let lenSum = 0;
  let lenSq = 0;
  let longW = 0;
  for (const t of tokens) {
    const fi = fwIndex.get(t);
    if (fi !== undefined) fwCounts[fi]!++;
    if (LLM_LEXICON.has(t)) lex++;
    if (CONTRACTION.test(t)) contr++;
    if (t === 'i' || t === 'me' || t === 'my' || t === "i'm" || t === "i've") first++;
    const L = isCjkToken(t) ? 1.5 : t.length;
    lenSum += L;
    lenSq += L * L;
    if (L >= 9) longW++;
  }
  // Lower-case standalone "i": a typing habit of people, almost never produced by LLMs.
  const lowerIRe = /(?:^|\s)i(?=[\s,.'’])/g;
  for (let m = lowerIRe.exec(text); m !== null; m = lowerIRe.exec(text)) lowerI++;
  for (let i = 0; i < fwCounts.length; i++) out[o++] = Math.sqrt(fwCounts[i]! / n);
  out[o++] = Math.sqrt(lex / n);
  const half = tokens.length >> 1;
  out[o++] = half > 20 ? lexRate(tokens, half, tokens.length) - lexRate(tokens, 0, half) : 0;
  out[o++] = Math.sqrt(contr / n);
  out[o++] = Math.sqrt(first / n);
  out[o++] = Math.sqrt(lowerI / n);
  const wlMean = lenSum / n;
  out[o++] = wlMean;
  out[o++] = Math.sqrt(Math.max(0, lenSq / n - wlMean * wlMean));
  out[o++] = longW / n;

  const sents = splitSentences(text);
  const sentLens: number[] = [];
  for (const s of sents) sentLens.push(countWordsFast(text, s.start, s.end));
  const { mean: slMean, std: slStd } = meanStd(sentLens);
  out[o++] = Math.log1p(slMean);
  out[o++] = slMean > 0 ? slStd / slMean : 0;
  let maxDiff = 0;
  for (let i = 1; i < sentLens.length; i++) maxDiff = Math.max(maxDiff, Math.abs(sentLens[i]! - sentLens[i - 1]!));
  out[o++] = Math.log1p(maxDiff);
  const { ttr, hapax } = windowDiversity(tokens, 50);
  out[o++] = ttr;
  out[o++] = hapax;

  const chars = Math.max(1, text.length);
  const per100 = (re: RegExp): number => Math.sqrt(((text.match(re)?.length ?? 0) / n) * 100);
  out[o++] = per100(/,|，/g);
  out[o++] = per100(/;|；/g);
  out[o++] = per100(/:|：/g);
  out[o++] = per100(/!|！/g);
  out[o++] = per100(/\?|？/g);
  out[o++] = per100(/["“”]/g);
  out[o++] = per100(/[()（）]/g);
  out[o++] = per100(/ - | -- |—|–/g);
  out[o++] = Math.sqrt((text.match(/\d/g)?.length ?? 0) / chars);
  out[o++] = per100(/\b[A-Z]{2,}\b/g);
  let lowerStart = 0;
  for (const s of sents) {
    const c = text[s.start]!;
    if (c >= 'a' && c <= 'z') lowerStart++;
  }
  out[o++] = sents.length > 0 ? lowerStart / sents.length : 0;
  out[o++] = per100(/ [,.;:!?]/g);
  out[o++] = per100(/\S {2,}\S/g);
  const paras = splitParagraphs(text);
  out[o++] = Math.log1p(n / Math.max(1, paras.length));

  // Shift between halves: an LLM continuing a human draft changes style mid-text.
  if (half > 20) {
    const a = fwVector(tokens, 0, half);
    const b = fwVector(tokens, half, tokens.length);
    out[o++] = 1 - cosine(a, b);
    const mid = text.length >> 1;
    const la: number[] = [];
    const lb: number[] = [];
    for (let i = 0; i < sents.length; i++) (sents[i]!.start < mid ? la : lb).push(sentLens[i]!);
    out[o++] = Math.abs(Math.log1p(meanStd(la).mean) - Math.log1p(meanStd(lb).mean));
    out[o++] = Math.abs(meanLen(tokens, 0, half) - meanLen(tokens, half, tokens.length));
  } else {
    out[o++] = 0;
    out[o++] = 0;
    out[o++] = 0;
  }
  let trans = 0;
  for (const s of sents) if (TRANSITIONS.test(text.slice(s.start, Math.min(s.end, s.start + 20)))) trans++;
  out[o++] = sents.length ? trans / sents.length : 0;
  let tion = 0;
  let ly = 0;
  let ing = 0;
  let noApo = 0;
  for (const t of tokens) {
    if (t.length > 5 && (t.endsWith('tion') || t.endsWith('ment') || t.endsWith('ness') || t.endsWith('ity'))) tion++;
    if (t.length > 4 && t.endsWith('ly')) ly++;
    if (t.length > 5 && t.endsWith('ing')) ing++;
    if (NO_APOSTROPHE.has(t)) noApo++;
  }
  out[o++] = Math.sqrt(tion / n);
  out[o++] = Math.sqrt(ly / n);
  out[o++] = Math.sqrt(ing / n);
  out[o++] = Math.sqrt(noApo / n);
  // Share of word bigrams that occur more than once: people repeat themselves more.
  const seen = new Map<string, number>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    const k = tokens[i]! + ' ' + tokens[i + 1]!;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  let rep = 0;
  for (const c of seen.values()) if (c > 1) rep += c;
  out[o++] = tokens.length > 1 ? rep / (tokens.length - 1) : 0;
  const pl = paras.map((p) => countWordsFast(text, p.start, p.end));
  const pms = meanStd(pl);
  out[o++] = pms.mean > 0 ? pms.std / pms.mean : 0;
  out[o++] = per100(/—|–/g);
  // Rarity: LLMs pick mid-frequency "polished" words; people (young and non-native writers
  // especially) use common words plus misspellings, which fall outside the vocabulary.
  if (ranks) {
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
    out[o++] = Math.sqrt(oov / Math.max(1, alpha));
    out[o++] = Math.sqrt(rare / Math.max(1, alpha));
    out[o++] = inVocab ? logRank / inVocab : 0;
  } else {
    out[o++] = 0;
    out[o++] = 0;
    out[o++] = 0;
  }
  // Compressibility of a fixed-size window: a cheap entropy proxy.
  const win = text.slice(0, 1500);
  const bytes = Buffer.byteLength(win);
  out[o++] = bytes > 0 ? deflateRawSync(win).length / bytes : 0;
  const lexSets = lexiconSets(lexicon);
  if (lexSets) {
    const seen = new Set(tokens);
    let a = 0;
    let h = 0;
    for (const t of seen) {
      if (lexSets.ai.has(t)) a++;
      else if (lexSets.human.has(t)) h++;
    }
    // Distinct words, scaled by sqrt(length): document-frequency lists, length-stabilized.
    const scale = Math.sqrt(Math.max(1, tokens.length));
    out[o++] = a / scale;
    out[o++] = h / scale;
  } else {
    out[o++] = 0;
    out[o++] = 0;
  }
  if (dictionary) {
    const { checked, missing } = misspellingRate(text, dictionary);
    out[o++] = Math.sqrt(missing / Math.max(20, checked));
  } else out[o++] = 0;
  return out;
}

const FW_INDEX = new Map(FUNCTION_WORDS.map((w, i) => [w, i]));

function lexRate(tokens: readonly string[], from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) if (LLM_LEXICON.has(tokens[i]!)) c++;
  return Math.sqrt(c / Math.max(1, to - from));
}

function fwVector(tokens: readonly string[], from: number, to: number): Float64Array {
  const v = new Float64Array(FUNCTION_WORDS.length);
  for (let i = from; i < to; i++) {
    const fi = FW_INDEX.get(tokens[i]!);
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

/** Function words stay; content words become a shape class, so n-grams carry syntax, not topic. */
export function skeletonToken(t: string): string {
  if (FW_INDEX.has(t)) return t;
  if (isCjkToken(t)) return '#cjk';
  if (/^\d/.test(t)) return '#num';
  if (CONTRACTION.test(t)) return '#contr';
  if (t.length > 4) {
    if (t.endsWith('ing')) return '#ing';
    if (t.endsWith('ly')) return '#ly';
    if (t.endsWith('ed')) return '#ed';
    if (t.endsWith('tion') || t.endsWith('sion') || t.endsWith('ment') || t.endsWith('ness') || t.endsWith('ity'))
      return '#nom';
    if (t.endsWith('s')) return '#s';
  }
  return t.length <= 3 ? '#w3' : t.length <= 6 ? '#w6' : '#w9';
}

const STYLE_INDEX = new Map(STYLE_FEATURE_NAMES.map((n, i) => [n, i]));

/** Everything the extractor derives from one text, before projection onto a spec. */
export interface TextAnalysis {
  tokens: string[];
  wordCount: number;
}

export function analyze(text: string): TextAnalysis {
  const tokens = tokenize(text);
  return { tokens, wordCount: countWords(tokens) };
}

/**
 * Sparse feature vector of a text under a spec. Style values are standardized with the spec's
 * mean/std and clipped to ±5 so outliers (tables, lists) cannot dominate a linear model.
 */
export function extractFeatures(text: string, spec: FeatureSpec, analysis: TextAnalysis = analyze(text)): SparseVec {
  const H = 1 << spec.hashBits;
  const mask = H - 1;
  const acc = new Map<number, number>();
  const { tokens } = analysis;
  if (spec.hashWeight > 0) {
    for (const n of spec.wordNgrams) {
      for (let i = 0; i + n <= tokens.length; i++) {
        const key = n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(' ');
        addHashed(acc, `w${n}:${key}`, mask);
      }
    }
    if (spec.skeletonNgrams && spec.skeletonNgrams.length > 0) {
      const sk = tokens.map(skeletonToken);
      for (const n of spec.skeletonNgrams) {
        for (let i = 0; i + n <= sk.length; i++) {
          addHashed(acc, `s${n}:${n === 1 ? sk[i]! : sk.slice(i, i + n).join(' ')}`, mask);
        }
      }
    }
    if (spec.charNgrams.length > 0) {
      const norm = ` ${text.toLowerCase().replace(/\s+/g, ' ')} `;
      for (const n of spec.charNgrams) {
        for (let i = 0; i + n <= norm.length; i++) addHashed(acc, `c${n}:${norm.slice(i, i + n)}`, mask);
      }
    }
  }
  const style =
    spec.style.length > 0
      ? styleFeatures(text, tokens, vocabRanks(spec.vocab), spec.lexicon, specDictionary(spec))
      : new Float64Array(0);
  const nnzHash = acc.size;
  const idx = new Int32Array(nnzHash + spec.style.length);
  const val = new Float32Array(nnzHash + spec.style.length);
  let norm = 0;
  let k = 0;
  for (const [slot, c] of acc) {
    if (c === 0) continue;
    const v = Math.sign(c) * (1 + Math.log(Math.abs(c)));
    idx[k] = slot;
    val[k] = v;
    norm += v * v;
    k++;
  }
  const scale = norm > 0 ? spec.hashWeight / Math.sqrt(norm) : 0;
  for (let i = 0; i < k; i++) val[i]! *= scale;
  for (let j = 0; j < spec.style.length; j++) {
    const raw = style[STYLE_INDEX.get(spec.style[j]!)!]!;
    const sd = spec.styleStd[j] ?? 1;
    const z = (raw - (spec.styleMean[j] ?? 0)) / (sd > 0 ? sd : 1);
    idx[k] = H + j;
    val[k] = Math.max(-5, Math.min(5, z));
    k++;
  }
  return { idx: idx.subarray(0, k), val: val.subarray(0, k) };
}

/** Raw style values of a text projected onto a spec's feature order (training fits mean/std on these). */
export function rawStyle(text: string, spec: FeatureSpec, analysis: TextAnalysis = analyze(text)): Float64Array {
  const all = styleFeatures(text, analysis.tokens, vocabRanks(spec.vocab), spec.lexicon, specDictionary(spec));
  const out = new Float64Array(spec.style.length);
  for (let j = 0; j < spec.style.length; j++) out[j] = all[STYLE_INDEX.get(spec.style[j]!)!]!;
  return out;
}

/** Scatter a sparse vector into row `row` of a dense batch buffer (zeroed by the caller). */
export function scatter(vec: SparseVec, out: Float32Array, row: number, dim: number): void {
  const base = row * dim;
  for (let i = 0; i < vec.idx.length; i++) out[base + vec.idx[i]!]! += vec.val[i]!;
}

/** English-likeness: share of tokens that are English function words (about 0.4–0.55 in English prose). */
export function englishFunctionWordShare(tokens: readonly string[]): number {
  if (tokens.length === 0) return 0;
  let c = 0;
  for (const t of tokens) if (FW_INDEX.has(t)) c++;
  return c / tokens.length;
}

// Frequent function words of other Latin-script languages (es, fr, de, it, pt, nl): their share
// tells a foreign text from unusual English (lists, slang, technical prose).
const FOREIGN_FUNCTION_WORDS = new Set(
  (
    'de la el los las del que y en un una por para con no es se lo al como más pero sus le les des et est ' +
    'du au pour dans ce qui une pas sur sont avec ne der die das und ist nicht ich sie es ein eine zu den mit ' +
    'von auf sich dem auch il di che e è per non della sono da gli nel alla o os um uma não com mais das dos ' +
    'na ao foi het een van ik je dat niet zijn op te voor met ook ' +
    // Polish, Czech, Swedish, Danish/Norwegian, Turkish, Indonesian
    'się nie jest że w z do co jak ale tak już od za czy je se že jsem och att är som för på med det inte ' +
    'ikke og er til jeg bir ve bu da için ile yang dan di dengan untuk itu ini tidak'
  ).split(' '),
);

// Letters outside English's alphabet (diacritics, ß, ł ...): English prose has them only in loanwords.
const NON_ENGLISH_LETTER = /[à-öø-ÿā-ɏß]/i;

/** 'en' when the text reads as English, 'other' otherwise (other scripts or other languages). */
export function guessLanguage(tokens: readonly string[]): 'en' | 'other' {
  if (tokens.length === 0) return 'other';
  let en = 0;
  let foreign = 0;
  let cjk = 0;
  let nonLatin = 0;
  let accented = 0;
  for (const t of tokens) {
    if (FW_INDEX.has(t)) en++;
    else if (FOREIGN_FUNCTION_WORDS.has(t)) foreign++;
    if (isCjkToken(t)) cjk++;
    else if (/[^\u0020-\u024f\u1e00-\u1eff]/.test(t)) nonLatin++;
    else if (NON_ENGLISH_LETTER.test(t)) accented++;
  }
  const n = tokens.length;
  if ((cjk + nonLatin) / n > 0.3 || accented / n > 0.12) return 'other';
  const enShare = en / n;
  if (enShare >= 0.2) return foreign > en ? 'other' : 'en';
  return enShare >= 0.08 && en > 2 * foreign ? 'en' : 'other';
}
