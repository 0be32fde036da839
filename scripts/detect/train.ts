/**
 * npm run train:detect [-- --candidates a,b] [--no-export]
 *
 * 1. Loads ../shared/data/detect/*.jsonl (PALIMPSEST_SHARED overrides ../shared).
 * 2. For every candidate feature set: leave-one-source-out (one source file held out per fold),
 *    three heads per fold (4-role softmax, human-vs-AI logistic, involvement logistic regression).
 * 3. Calibration/threshold are nested too: for held-out source s, Platt scaling and the 1%-FPR
 *    threshold are fitted on the out-of-source scores of the *other* sources only.
 * 4. Picks a candidate by selectCandidate (human false positives first, then ranking), trains it
 *    on everything and writes models/detect/{detector.onnx,features.json,loso-report.json}.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, type ZlibOptions } from 'node:zlib';
import { registerDictionary } from '../../src-main/detection/dictionary';
import path from 'node:path';
import { STYLE_FEATURE_NAMES, analyze, featureDim, type FeatureSpec } from '../../src-main/detection/features';
import { fitPlatt, sigmoid, thresholdForFpr, rateAbove, type Platt } from '../../src-main/detection/calibration';
import { combineInvolvement, decideRole } from '../../src-main/detection/verdict';
import { humanSpanRecords, loadAll, REPO_ROOT, type Record_ } from './data';
import { loadExtraHuman } from './extra-human';
import { DEFAULT_TRAIN, type TrainOptions } from './linear';
import { auroc, fmt, mae, roleReport, spearman, tprAtFpr } from './metrics';
import {
  applyLexicon,
  fitLexicon,
  featurize,
  scoreRows,
  trainHeads,
  type Featurized,
  type HeadConfig,
  type Scored,
} from './pipeline';
import { exportModel } from './export';

export const TARGET_FPR = 0.01;

interface Candidate {
  name: string;
  spec: Omit<FeatureSpec, 'styleMean' | 'styleStd' | 'version'>;
  /** Build a word-frequency vocabulary of this many words from the training texts. */
  vocabSize?: number;
  /** Fit the cross-source lexicon (lex_ai / lex_human features) inside each fold. */
  lexicon?: boolean;
  train?: Partial<TrainOptions>;
  /** Train on these languages only (others still get LOSO-scored as unseen). */
  langs?: string[];
  heads?: HeadConfig;
  /**
   * Train on the pre-LLM human corpora (extra-human.ts) too. Without it they are still scored in
   * LOSO (never trained on), so every candidate's false-positive rate on them is comparable.
   */
  extraHumanTrain?: boolean;
  /** Add the misspelling rate (typo_rate) from the shipped word list (dictionary.ts). */
  dictionary?: boolean;
  /**
   * Default threshold: 'balanced' = ≤ 1 % of human texts with every human source weighted equally;
   * 'worst' = ≤ 1 % in every human source (the highest of the per-source thresholds).
   */
  thresholdPolicy?: ThresholdPolicy;
  /**
   * Keep only the k style features whose human-vs-LLM direction holds in every training source
   * with both classes (univariate AUROC, ranked by the worst source); chosen inside each fold.
   */
  robustK?: number;
}

type ThresholdPolicy = 'balanced' | 'worst';

const NEW_FEATURES = ['oov_rate', 'rare_rate', 'mean_log_rank', 'deflate_ratio', 'lex_ai', 'lex_human', 'typo_rate'];
const ALL_STYLE = STYLE_FEATURE_NAMES.filter((n) => !NEW_FEATURES.includes(n));
/** The three pre-LLM corpora together weigh as much as one source. */
const EXTRA_THIRD = { 'ext-email-ham': 1 / 3, 'ext-sotu': 1 / 3, 'ext-moby-dick': 1 / 3 };
const STYLE_TYPO = [...ALL_STYLE, 'typo_rate'];
const STYLE_VOCAB = [...ALL_STYLE, 'oov_rate', 'rare_rate', 'mean_log_rank'];
const STYLE_VOCAB_DEFLATE = [...STYLE_VOCAB, 'deflate_ratio'];
const STYLE_LEX = [...ALL_STYLE, 'lex_ai', 'lex_human'];

/** Words (lower-case letters only) seen at least `minCount` times in English texts, most frequent first. */
function buildVocab(records: readonly Record_[], size: number, minCount = 5): string[] {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (r.lang !== 'en' || r.derived) continue;
    for (const m of r.text.toLowerCase().matchAll(/[a-z]+/g)) {
      const w = m[0];
      if (w.length >= 3) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, size)
    .map(([w]) => w);
}
const FW_ONLY = ALL_STYLE.filter((n) => n.startsWith('fw:'));

export const CANDIDATES: Candidate[] = [
  { name: 'style', spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE } },
  { name: 'funcwords', spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: FW_ONLY } },
  { name: 'words12', spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: [] } },
  {
    name: 'words12+style',
    spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
  },
  { name: 'words1+style', spec: { hashBits: 17, wordNgrams: [1], charNgrams: [], hashWeight: 1, style: ALL_STYLE } },
  {
    name: 'chars34+style',
    spec: { hashBits: 17, wordNgrams: [], charNgrams: [3, 4], hashWeight: 1, style: ALL_STYLE },
  },
  {
    name: 'mixed-paired',
    spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    heads: { aiPairedOnly: true, styleOnly: ['ai', 'inv'] },
  },
  {
    name: 'mixed-paired-l2e3',
    spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    heads: { aiPairedOnly: true, styleOnly: ['ai', 'inv'] },
    train: { l2: 1e-3 },
  },
  {
    name: 'style-paired-l2e3',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true },
    train: { l2: 1e-3 },
  },
  {
    name: 'mlp-style-paired',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, mlp: ['role', 'ai', 'inv'] },
  },
  {
    name: 'mlp+words-role',
    spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    heads: { aiPairedOnly: true, mlp: ['ai', 'inv'] },
  },
  {
    name: 'style-paired-invw',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
  },
  {
    name: 'mixed-paired-invw',
    spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, styleOnly: ['ai', 'inv'] },
    train: { l2: 1e-3 },
  },
  {
    name: 'skel123+style-invw',
    spec: { hashBits: 16, wordNgrams: [], skeletonNgrams: [1, 2, 3], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
  },
  {
    name: 'skel123+style-invw-l2e4',
    spec: { hashBits: 16, wordNgrams: [], skeletonNgrams: [1, 2, 3], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-4 },
  },
  {
    name: 'style-paired-invw-l2e2',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-2 },
  },
  {
    name: 'style-paired-invw-e12',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3, epochs: 12, lr: 0.1 },
  },
  {
    name: 'lexicon-paired-invw',
    lexicon: true,
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: STYLE_LEX },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
  },
  {
    name: 'style-paired-invw-bagged',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, bagSources: true },
    train: { l2: 1e-3 },
  },
  {
    name: 'vocab-paired-invw',
    vocabSize: 30000,
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: STYLE_VOCAB },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
  },
  {
    name: 'vocab-deflate-paired-invw',
    vocabSize: 30000,
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: STYLE_VOCAB_DEFLATE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
  },
  {
    name: 'style-paired-invw-xh',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
  },
  {
    name: 'typo-paired-invw-xh',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: STYLE_TYPO },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
    dictionary: true,
  },
  {
    name: 'typo-paired-invw',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: STYLE_TYPO },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
    dictionary: true,
  },
  {
    name: 'style-xh-dro',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, aiDroRounds: 3 },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
  },
  {
    name: 'style-xh-worst',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
    thresholdPolicy: 'worst',
  },
  {
    name: 'style-xh-dro-worst',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, aiDroRounds: 3 },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
    thresholdPolicy: 'worst',
  },
  {
    name: 'style-xh-dro5',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, aiDroRounds: 5 },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
  },
  {
    name: 'style-dro',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, aiDroRounds: 3 },
    train: { l2: 1e-3 },
  },
  {
    name: 'typo-xh-dro',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: STYLE_TYPO },
    heads: { aiPairedOnly: true, aiInvWeight: true, aiDroRounds: 3 },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
    dictionary: true,
  },
  {
    name: 'style-xh-third-dro-worst',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, aiDroRounds: 3, groupWeight: EXTRA_THIRD },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
    thresholdPolicy: 'worst',
  },
  {
    name: 'style-xh-third-dro',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, aiDroRounds: 3, groupWeight: EXTRA_THIRD },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
  },
  {
    name: 'style-dro-worst',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, aiDroRounds: 3 },
    train: { l2: 1e-3 },
    thresholdPolicy: 'worst',
  },
  {
    name: 'style-paired-invw-worst',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
    thresholdPolicy: 'worst',
  },
  {
    name: 'style-xh-third-worst',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true, groupWeight: EXTRA_THIRD },
    train: { l2: 1e-3 },
    extraHumanTrain: true,
    thresholdPolicy: 'worst',
  },

  {
    name: 'robust14-sel-paired-invw',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
    robustK: 14,
  },
  {
    name: 'robust8-sel-paired-invw',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true, aiInvWeight: true },
    train: { l2: 1e-3 },
    robustK: 8,
  },

  {
    name: 'style-paired',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    heads: { aiPairedOnly: true },
  },
  {
    name: 'words12+style-paired',
    spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    heads: { aiPairedOnly: true },
  },
  {
    name: 'words12+style-paired-l2e4',
    spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    heads: { aiPairedOnly: true },
    train: { l2: 1e-4 },
  },
  {
    name: 'style-l2e3',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    train: { l2: 1e-3 },
  },
  {
    name: 'style-l2e2',
    spec: { hashBits: 4, wordNgrams: [], charNgrams: [], hashWeight: 0, style: ALL_STYLE },
    train: { l2: 1e-2 },
  },
  {
    name: 'words12+style-l2e4',
    spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    train: { l2: 1e-4 },
  },
  {
    name: 'words12+style-l2e3',
    spec: { hashBits: 17, wordNgrams: [1, 2], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    train: { l2: 1e-3 },
  },
  {
    name: 'words1+style-l2e3',
    spec: { hashBits: 17, wordNgrams: [1], charNgrams: [], hashWeight: 1, style: ALL_STYLE },
    train: { l2: 1e-3 },
  },
];

/**
 * Run by default (about 5 minutes on 2 busy cores): the shipped feature set plus the two
 * strongest alternatives. `--candidates all` reruns every experiment listed in MODEL_CARD.md.
 */
const DEFAULT_CANDIDATES = ['style-paired-invw', 'style-paired-invw-worst', 'style-xh-third-worst'];

interface SourceMetrics {
  group: string;
  n: number;
  nHuman: number;
  auroc: number;
  tprAt1: number;
  fprAtThreshold: number;
  tprAtThreshold: number;
  macroF1: number;
  accuracy: number;
  mae: number;
}

interface CandidateResult {
  name: string;
  perSource: SourceMetrics[];
  pooled: {
    macroF1: number;
    perClassF1: Record<string, number>;
    mae: number;
    maeRaw: number;
    spearman: number;
    meanAuroc: number;
    pooledAuroc: number;
    humanFprBalanced: number;
    /** Mean per-source AUROC of human vs generated only. */
    aurocGen: number;
    /** Mean per-source AUROC using the involvement head as the AI score. */
    aurocInv: number;
    /** The highest share of one held-out human population flagged at its nested threshold. */
    worstHumanFpr: number;
  };
  score: number;
  seconds: number;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Source-balanced weights for calibration: every group counts equally within each class. */
export function calibWeights(recs: readonly Record_[]): number[] {
  const n = new Map<string, number>();
  for (const r of recs) n.set(`${r.group}|${r.role === 0}`, (n.get(`${r.group}|${r.role === 0}`) ?? 0) + 1);
  return recs.map((r) => 1 / n.get(`${r.group}|${r.role === 0}`)!);
}

export function fitCalibration(
  recs: readonly Record_[],
  scored: readonly Scored[],
  policy: ThresholdPolicy = 'balanced',
): { platt: Platt; threshold: number } {
  const w = calibWeights(recs);
  const platt = fitPlatt(
    scored.map((s) => s.aiLogit),
    recs.map((r) => (r.role === 0 ? 0 : 1)),
    w,
  );
  const hs: number[] = [];
  const hw: number[] = [];
  recs.forEach((r, i) => {
    if (r.role !== 0) return;
    hs.push(sigmoid(platt.a * scored[i]!.aiLogit + platt.b));
    hw.push(w[i]!);
  });
  if (policy === 'balanced') return { platt, threshold: thresholdForFpr(hs, TARGET_FPR, hw) };
  const byGroup = new Map<string, number[]>();
  recs.forEach((r, i) => {
    if (r.role !== 0) return;
    if (!byGroup.has(r.group)) byGroup.set(r.group, []);
    byGroup.get(r.group)!.push(sigmoid(platt.a * scored[i]!.aiLogit + platt.b));
  });
  const per = [...byGroup.values()].map((g) => thresholdForFpr(g, TARGET_FPR));
  return { platt, threshold: Math.max(...per) };
}

let tokenCache: { uniq: string[][]; counts: number[] } | null = null;

/** Distinct tokens and token counts per record (for the lexicon), computed once. */
function tokenInfo(records: readonly Record_[]): { uniq: string[][]; counts: number[] } {
  if (!tokenCache) {
    const uniq: string[][] = [];
    const counts: number[] = [];
    for (const r of records) {
      const t = analyze(r.text).tokens;
      uniq.push([...new Set(t)]);
      counts.push(t.length);
    }
    tokenCache = { uniq, counts };
  }
  return tokenCache;
}

export function usableForTraining(r: Record_, cand: Candidate): boolean {
  return calibratesWith(r, cand) && (!cand.langs || cand.langs.includes(r.lang));
}

/** The pre-LLM corpora are test-only for a candidate that never trains on them: out of its calibration too. */
export function calibratesWith(r: Record_, cand: Candidate): boolean {
  return !r.group.startsWith(EXTRA_PREFIX) || cand.extraHumanTrain === true;
}

const EXTRA_PREFIX = 'ext-';

const DICTIONARY_FILE = 'dictionary.txt.gz';

/**
 * Registers the word list (npm `word-list`, MIT, 274k lower-case English words) under the name the
 * shipped spec uses; with `write`, also stores it beside the model (gzipped, ~0.8 MB).
 */
function useDictionary(write = false): string {
  const words = readFileSync(path.join(REPO_ROOT, 'node_modules', 'word-list', 'words.txt'), 'utf8')
    .split('\n')
    .map((w) => w.trim())
    .filter((w) => /^[a-z]+$/.test(w));
  registerDictionary(DICTIONARY_FILE, words);
  if (write) {
    const out = path.join(REPO_ROOT, 'models', 'detect', DICTIONARY_FILE);
    writeFileSync(out, gzipSync(Buffer.from(words.join('\n') + '\n'), { level: 9, mtime: 0 } as ZlibOptions));
  }
  return DICTIONARY_FILE;
}

/** See Candidate.robustK. Returns the reduced spec and the style block projected onto it. */
function selectRobust(
  records: readonly Record_[],
  fz: Featurized,
  trainIdx: readonly number[],
  spec: FeatureSpec,
  k: number,
): { spec: FeatureSpec; fz: Featurized } {
  const byGroup = new Map<string, number[]>();
  for (const i of trainIdx) {
    const g = records[i]!.group;
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g)!.push(i);
  }
  const paired = [...byGroup.values()].filter(
    (ix) => ix.some((i) => records[i]!.role === 0) && ix.some((i) => records[i]!.role !== 0),
  );
  const ranked = spec.style
    .map((name, j) => {
      const a = paired.map((ix) =>
        auroc(
          ix.map((i) => fz.style[i]![j]!),
          ix.map((i) => (records[i]!.role === 0 ? 0 : 1)),
        ),
      );
      const dir = a.reduce((acc, v) => acc + v - 0.5, 0) >= 0 ? 1 : -1;
      const worst = Math.min(...a.map((v) => (dir > 0 ? v : 1 - v)));
      return { name, j, worst };
    })
    .filter((f) => f.worst > 0.5)
    .sort((x, y) => y.worst - x.worst || x.j - y.j)
    .slice(0, k)
    .sort((x, y) => x.j - y.j);
  return {
    spec: { ...spec, style: ranked.map((f) => f.name) },
    fz: { hashed: fz.hashed, style: fz.style.map((row) => Float64Array.from(ranked, (f) => row[f.j]!)) },
  };
}

export function runLoso(
  records: Record_[],
  fz: Featurized,
  cand: Candidate,
  opts: TrainOptions,
): { oof: Scored[]; groups: string[] } {
  const groups = [...new Set(records.map((r) => r.group))].sort();
  const oof: Scored[] = new Array(records.length);
  const spec = { version: 1 as const, ...cand.spec, styleMean: [], styleStd: [] };
  for (const g of groups) {
    const t0 = Date.now();
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    records.forEach((r, i) => {
      if (r.group === g) testIdx.push(i);
      else if (usableForTraining(r, cand)) trainIdx.push(i);
    });
    if (cand.lexicon) {
      const t = tokenInfo(records);
      const lex = fitLexicon(records, t.uniq, trainIdx);
      applyLexicon(fz, t.uniq, t.counts, spec, lex);
      if (g === groups[0])
        process.stderr.write(`  lexicon: ${lex.ai.length} LLM-leaning, ${lex.human.length} human-leaning words\n`);
    }
    const sel = cand.robustK ? selectRobust(records, fz, trainIdx, spec, cand.robustK) : null;
    const fFz = sel ? sel.fz : fz;
    const fSpec = sel ? sel.spec : spec;
    if (sel && g === groups[0]) process.stderr.write(`  robust features: ${sel.spec.style.join(', ')}\n`);
    const heads = trainHeads(records, fFz, trainIdx, fSpec, opts, cand.heads);
    scoreRows(heads, fFz, testIdx).forEach((s, k) => (oof[testIdx[k]!] = s));
    process.stderr.write(
      `  fold ${g}: ${trainIdx.length} train / ${testIdx.length} test, ${((Date.now() - t0) / 1000).toFixed(1)}s\n`,
    );
  }
  return { oof, groups };
}

function evaluate(
  records: Record_[],
  oof: Scored[],
  groups: string[],
  englishOnly: boolean,
  policy: ThresholdPolicy = 'balanced',
  calibrates: (r: Record_) => boolean = () => true,
): CandidateResult['pooled'] & { perSource: SourceMetrics[] } {
  const perSource: SourceMetrics[] = [];
  const truth: number[] = [];
  const pred: number[] = [];
  const invT: number[] = [];
  const invP: number[] = [];
  const invRaw: number[] = [];
  const allP: number[] = [];
  const allY: number[] = [];
  const humanFlags: number[] = [];
  const humanW: number[] = [];
  const aGen: number[] = [];
  const aInv: number[] = [];
  for (const g of groups) {
    const inIdx: number[] = [];
    const outIdx: number[] = [];
    records.forEach((r, i) => (r.group === g ? inIdx : outIdx).push(i));
    if (englishOnly && records[inIdx[0]!]!.lang !== 'en') continue;
    // Nested: calibrate on the other sources' out-of-source scores only.
    // Calibrate on the sources this candidate may learn from: corpora it never trains on are test-only.
    const calIdx = outIdx.filter((i) => (!englishOnly || records[i]!.lang === 'en') && calibrates(records[i]!));
    const outRecs = calIdx.map((i) => records[i]!);
    const outScores = calIdx.map((i) => oof[i]!);
    const { platt, threshold } = fitCalibration(outRecs, outScores, policy);
    const t: number[] = [];
    const p: number[] = [];
    const ys: number[] = [];
    const ps: number[] = [];
    const it: number[] = [];
    const ip: number[] = [];
    let nHuman = 0;
    let fp = 0;
    let tp = 0;
    for (const i of inIdx) {
      const r = records[i]!;
      const s = oof[i]!;
      const pAi = sigmoid(platt.a * s.aiLogit + platt.b);
      const role = decideRole(s.roleProbs, pAi, threshold);
      t.push(r.role);
      p.push(role);
      ys.push(r.role === 0 ? 0 : 1);
      ps.push(pAi);
      if (r.role === 0) {
        nHuman++;
        if (pAi >= threshold) fp++;
        humanFlags.push(pAi >= threshold ? 1 : 0);
      } else if (pAi >= threshold) tp++;
      if (Number.isFinite(r.involvement)) {
        it.push(r.involvement);
        ip.push(combineInvolvement(s.involvement, pAi, threshold));
        invRaw.push(s.involvement);
      }
    }
    for (let k = 0; k < nHuman; k++) humanW.push(1 / nHuman);
    const rawLogits = inIdx.map((i) => oof[i]!.aiLogit);
    const gs: number[] = [];
    const gy: number[] = [];
    const iv: number[] = [];
    inIdx.forEach((i, k) => {
      iv.push(oof[i]!.involvement);
      if (records[i]!.role === 0 || records[i]!.role === 3) {
        gs.push(rawLogits[k]!);
        gy.push(records[i]!.role === 3 ? 1 : 0);
      }
    });
    aGen.push(auroc(gs, gy));
    aInv.push(auroc(iv, ys));
    const rr = roleReport(t, p);
    perSource.push({
      group: g,
      n: inIdx.length,
      nHuman,
      // Ranking of the raw logit: a fold's Platt slope can come out ≤ 0 when the other sources'
      // humans score high, and would flip the calibrated ranking.
      auroc: auroc(rawLogits, ys),
      tprAt1: tprAtFpr(rawLogits, ys, 0.01),
      fprAtThreshold: nHuman ? fp / nHuman : NaN,
      tprAtThreshold: inIdx.length - nHuman ? tp / (inIdx.length - nHuman) : NaN,
      macroF1: rr.macroF1,
      accuracy: rr.accuracy,
      mae: mae(it, ip),
    });
    truth.push(...t);
    pred.push(...p);
    invT.push(...it);
    invP.push(...ip);
    allP.push(...rawLogits);
    allY.push(...ys);
  }
  const rr = roleReport(truth, pred);
  const aurocs = perSource.map((s) => s.auroc).filter(Number.isFinite);
  const hf =
    humanFlags.reduce((a, f, i) => a + f * humanW[i]!, 0) /
    Math.max(
      1e-9,
      humanW.reduce((a, b) => a + b, 0),
    );
  return {
    perSource,
    macroF1: rr.macroF1,
    perClassF1: Object.fromEntries(Object.entries(rr.perClass).map(([k, v]) => [k, v.f1])),
    mae: mae(invT, invP),
    maeRaw: mae(invT, invRaw),
    spearman: spearman(invT, invP),
    meanAuroc: aurocs.reduce((a, b) => a + b, 0) / Math.max(1, aurocs.length),
    pooledAuroc: auroc(allP, allY),
    humanFprBalanced: hf,
    aurocGen: meanFinite(aGen),
    aurocInv: meanFinite(aInv),
    worstHumanFpr: Math.max(0, ...perSource.map((p) => p.fprAtThreshold).filter(Number.isFinite)),
  };
}

/** Secondary score (ties and the report): ranking across sources + roles − involvement error. */
function selectionScore(p: CandidateResult['pooled']): number {
  return p.meanAuroc + p.macroF1 - p.mae;
}

/**
 * Model selection, false accusations first: among candidates that flag at most 2 % of every held-out
 * human population (the 1 % target, with slack for populations of 138–1,860 texts), the best mean
 * per-source AUROC; if none qualifies, the one whose worst population fares best. Ties (within 0.002
 * AUROC) go to the higher selectionScore.
 */
function selectCandidate(results: readonly CandidateResult[]): CandidateResult {
  const ok = results.filter((r) => r.pooled.worstHumanFpr <= 2 * TARGET_FPR);
  if (ok.length === 0) return results.reduce((a, b) => (b.pooled.worstHumanFpr < a.pooled.worstHumanFpr ? b : a));
  return ok.reduce((a, b) => {
    const d = b.pooled.meanAuroc - a.pooled.meanAuroc;
    if (Math.abs(d) > 0.002) return d > 0 ? b : a;
    return b.score > a.score ? b : a;
  });
}

function meanFinite(xs: number[]): number {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}

function printResult(r: CandidateResult): void {
  const p = r.pooled;
  console.log(`\n== ${r.name}  (${r.seconds.toFixed(0)}s)  score ${fmt(r.score)}`);
  console.log(
    `pooled(en): macroF1 ${fmt(p.macroF1)} [${Object.entries(p.perClassF1)
      .map(([k, v]) => `${k} ${fmt(v, 2)}`)
      .join(', ')}]  ` +
      `MAE ${fmt(p.mae)} (raw ${fmt(p.maeRaw)})  spearman ${fmt(p.spearman)}  meanAUROC ${fmt(p.meanAuroc)}  pooledAUROC ${fmt(p.pooledAuroc)}  humanFPR(bal) ${fmt(p.humanFprBalanced)} worst ${fmt(p.worstHumanFpr)}  AUROC(h-vs-gen) ${fmt(p.aurocGen)}  AUROC(inv-head) ${fmt(p.aurocInv)}`,
  );
  console.log('source                          n   human  AUROC  TPR@1%  FPR@thr TPR@thr macroF1  acc    MAE');
  for (const s of r.perSource) {
    console.log(
      `${s.group.padEnd(32)}${String(s.n).padStart(5)} ${String(s.nHuman).padStart(6)}  ${fmt(s.auroc)}  ${fmt(s.tprAt1)}  ${fmt(s.fprAtThreshold)}  ${fmt(s.tprAtThreshold)}  ${fmt(s.macroF1)}  ${fmt(s.accuracy)}  ${fmt(s.mae)}`,
    );
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const base = loadAll();
  const records = process.argv.includes('--no-augment') ? base : [...base, ...humanSpanRecords(base)];
  if (!process.argv.includes('--no-extra-human')) records.push(...loadExtraHuman());
  console.log(`loaded ${records.length} records from ${new Set(records.map((r) => r.group)).size} sources`);
  const wanted = argValue('--candidates');
  const names = wanted === 'all' ? CANDIDATES.map((c) => c.name) : wanted ? wanted.split(',') : DEFAULT_CANDIDATES;
  const cands = CANDIDATES.filter((c) => names.includes(c.name));
  const epochs = Number(argValue('--epochs') ?? DEFAULT_TRAIN.epochs);
  const opts: TrainOptions = { ...DEFAULT_TRAIN, epochs };
  const vocabs = new Map<number, string[]>();
  const vocab = (n: number): string[] => {
    if (!vocabs.has(n)) vocabs.set(n, buildVocab(records, n));
    return vocabs.get(n)!;
  };
  const results: CandidateResult[] = [];
  const cache = new Map<string, Featurized>();
  const oofByName = new Map<string, Scored[]>();
  for (const c of cands) {
    const tc = Date.now();
    const spec: FeatureSpec = { version: 1 as const, ...c.spec, styleMean: [], styleStd: [] };
    if (c.vocabSize) spec.vocab = vocab(c.vocabSize);
    if (c.dictionary) spec.dictionary = useDictionary();
    const key = JSON.stringify(spec);
    let fz = cache.get(key);
    if (!fz) {
      fz = featurize(records, spec);
      cache.set(key, fz);
    }
    process.stderr.write(`candidate ${c.name}: features ${((Date.now() - tc) / 1000).toFixed(1)}s\n`);
    const { oof, groups } = runLoso(records, fz, { ...c, spec }, { ...opts, ...c.train });
    oofByName.set(c.name, oof);
    const cal = (r: Record_): boolean => calibratesWith(r, c);
    const ev = evaluate(records, oof, groups, true, c.thresholdPolicy, cal);
    const zh = evaluate(records, oof, groups, false, c.thresholdPolicy, cal).perSource.filter(
      (s) => !ev.perSource.some((e) => e.group === s.group),
    );
    const { perSource, ...pooled } = ev;
    const res: CandidateResult = {
      name: c.name,
      perSource: [...perSource, ...zh],
      pooled,
      score: selectionScore(pooled),
      seconds: (Date.now() - tc) / 1000,
    };
    printResult(res);
    results.push(res);
    cache.clear(); // features of one candidate at a time keep memory flat
  }
  const best = selectCandidate(results);
  console.log(`\nselected: ${best.name}`);
  const reportPath = path.join(REPO_ROOT, 'models', 'detect', 'loso-report.json');
  mkdirSync(path.dirname(reportPath), { recursive: true });
  if (process.argv.includes('--no-export')) return;
  const cand = CANDIDATES.find((c) => c.name === best.name)!;
  const spec: FeatureSpec = { version: 1, ...cand.spec, styleMean: [], styleStd: [] };
  if (cand.vocabSize) spec.vocab = vocab(cand.vocabSize);
  if (cand.dictionary) spec.dictionary = useDictionary(true);
  let fz = featurize(records, spec);
  const allIdxForLex = records.map((_, i) => i);
  if (cand.lexicon) {
    const t = tokenInfo(records);
    spec.lexicon = fitLexicon(records, t.uniq, allIdxForLex);
    applyLexicon(fz, t.uniq, t.counts, spec, spec.lexicon);
  }
  // Calibration for the shipped model comes from out-of-source scores (realistic for new domains).
  const oof = oofByName.get(cand.name)!;
  const en = records.map((r, i) => i).filter((i) => records[i]!.lang === 'en' && calibratesWith(records[i]!, cand));
  const { platt, threshold } = fitCalibration(
    en.map((i) => records[i]!),
    en.map((i) => oof[i]!),
    cand.thresholdPolicy,
  );
  const allIdx = records.map((_, i) => i).filter((i) => usableForTraining(records[i]!, cand));
  let finalSpec = spec;
  if (cand.robustK) {
    const sel = selectRobust(records, fz, allIdx, spec, cand.robustK);
    fz = sel.fz;
    finalSpec = sel.spec;
  }
  const heads = trainHeads(records, fz, allIdx, finalSpec, { ...opts, ...cand.train }, cand.heads);
  const humanScores = en.filter((i) => records[i]!.role === 0).map((i) => sigmoid(platt.a * oof[i]!.aiLogit + platt.b));
  exportModel(heads, {
    platt,
    threshold,
    targetFpr: TARGET_FPR,
    candidate: best.name,
    trainedOn: [...new Set(allIdx.map((i) => records[i]!.group))],
    oofHumanFpr: rateAbove(humanScores, threshold),
  });
  writeFileSync(
    reportPath,
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        selected: best.name,
        dim: featureDim(heads.spec),
        platt,
        threshold,
        candidates: results,
      },
      null,
      1,
    ),
  );
  console.log(
    `exported models/detect (threshold ${fmt(threshold, 4)}, platt a=${fmt(platt.a)} b=${fmt(platt.b)}) in ${((Date.now() - t0) / 1000).toFixed(0)}s`,
  );
}

// Run only as the script: operating-points.ts imports the LOSO building blocks.
if (process.argv[1] && /train\.ts$/.test(process.argv[1])) await main();
