/**
 * Feature extraction shared by training (scripts/detect/train.ts) and inference (detector.ts).
 * A document becomes one sparse vector: a block of signed-hashed word / character n-grams
 * (sublinear TF, L2-normalised) followed by a small block of standardized style features.
 * The spec (models/detect/features.json) pins every choice so the ONNX weights line up.
 */
import { dictionaryWords } from './dictionary';
import { CONTRACTION, FUNCTION_WORD_INDEX as FW_INDEX } from './function-words';
import { StyleInputs, computeStyle, selectStyleFeatures, type Lexicon, type StyleFeature } from './style-features';
import { countWords, isCjkToken, tokenize } from './text-units';

export { STYLE_FEATURE_NAMES } from './style-features';

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
  lexicon?: Lexicon;
  /**
   * Word list (file beside features.json, see dictionary.ts) for the misspelling feature
   * `typo_rate`; absent = that feature is 0.
   */
  dictionary?: string;
  /** Weight of the whole hashed block relative to style features (0 disables it). */
  hashWeight: number;
  /** Names of the style features used (subset of STYLE_FEATURE_NAMES, in this order; see style-features.ts). */
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

const selectionCache = new WeakMap<readonly string[], StyleFeature[]>();

/** The spec's style features in its order, resolved once per spec. */
function specStyle(spec: FeatureSpec): StyleFeature[] {
  let sel = selectionCache.get(spec.style);
  if (!sel) {
    sel = selectStyleFeatures(spec.style);
    selectionCache.set(spec.style, sel);
  }
  return sel;
}

/**
 * Throws when the spec names a style feature this extractor does not know; the detector calls it
 * at load, so a manifest that does not match the code fails there, not with NaN inputs.
 */
export function checkSpec(spec: FeatureSpec): void {
  specStyle(spec);
  if (spec.styleMean.length !== spec.style.length || spec.styleStd.length !== spec.style.length) {
    throw new Error(
      `style standardization has ${spec.styleMean.length} means and ${spec.styleStd.length} deviations for ${spec.style.length} features`,
    );
  }
}

/** Raw values of the spec's style features (in spec order) for a text. */
function specStyleValues(text: string, spec: FeatureSpec, tokens: readonly string[]): Float64Array {
  const inputs = new StyleInputs(
    text,
    tokens,
    vocabRanks(spec.vocab),
    lexiconSets(spec.lexicon),
    spec.dictionary ? dictionaryWords(spec.dictionary) : null,
  );
  return computeStyle(specStyle(spec), inputs);
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
  const style = spec.style.length > 0 ? specStyleValues(text, spec, tokens) : new Float64Array(0);
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
    const raw = style[j]!;
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
  return specStyleValues(text, spec, analysis.tokens);
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
