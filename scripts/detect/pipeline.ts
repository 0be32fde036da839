/**
 * Training building blocks shared by train.ts: featurization with a per-fold style
 * standardization, source-balanced weights, the three heads, and scoring of held-out rows.
 */
import { analyze, extractFeatures, featureDim, rawStyle, type FeatureSpec } from '../../src-main/detection/features';
import {
  DEFAULT_TRAIN,
  predictRaw,
  sigmoid,
  softmax,
  trainLinear,
  type LinearModel,
  type Row,
  type TrainOptions,
} from './linear';
import type { Record_ } from './data';
import { DEFAULT_MLP, predictMlp, trainMlp, type Mlp, type MlpOptions } from './mlp';

/** Per-record features that do not depend on the fold: hashed block and raw style values. */
export interface Featurized {
  hashed: { idx: Int32Array; val: Float32Array }[];
  style: Float64Array[];
}

export function featurize(records: readonly Record_[], spec: FeatureSpec): Featurized {
  // The hashed block is computed with an empty style list, the style block separately, so the
  // fold can standardize style values with its own training statistics.
  const hashOnly: FeatureSpec = { ...spec, style: [], styleMean: [], styleStd: [] };
  const hashed: Featurized['hashed'] = [];
  const style: Float64Array[] = [];
  for (const r of records) {
    const a = analyze(r.text);
    hashed.push(extractFeatures(r.text, hashOnly, a));
    style.push(spec.style.length ? rawStyle(r.text, spec, a) : new Float64Array(0));
  }
  return { hashed, style };
}

export function fitStandardization(
  style: readonly Float64Array[],
  rows: readonly number[],
  f: number,
): { mean: number[]; std: number[] } {
  const mean = new Array<number>(f).fill(0);
  const std = new Array<number>(f).fill(0);
  for (const i of rows) for (let j = 0; j < f; j++) mean[j]! += style[i]![j]!;
  for (let j = 0; j < f; j++) mean[j]! /= Math.max(1, rows.length);
  for (const i of rows) for (let j = 0; j < f; j++) std[j]! += (style[i]![j]! - mean[j]!) ** 2;
  for (let j = 0; j < f; j++) std[j] = Math.sqrt(std[j]! / Math.max(1, rows.length)) || 1;
  return { mean, std };
}

export function buildRow(fz: Featurized, i: number, spec: FeatureSpec): Row {
  const h = fz.hashed[i]!;
  const f = spec.style.length;
  const H = 1 << spec.hashBits;
  const idx = new Int32Array(h.idx.length + f);
  const val = new Float32Array(h.idx.length + f);
  idx.set(h.idx);
  val.set(h.val);
  const s = fz.style[i]!;
  for (let j = 0; j < f; j++) {
    idx[h.idx.length + j] = H + j;
    const z = (s[j]! - spec.styleMean[j]!) / spec.styleStd[j]!;
    val[h.idx.length + j] = Math.max(-5, Math.min(5, z));
  }
  return { idx, val };
}

/** Inverse-frequency weights over (group, key) cells, then rescaled so each key has equal total weight. */
export function balancedWeights(
  records: readonly Record_[],
  rows: readonly number[],
  key: (r: Record_) => string,
): Float32Array {
  const cell = new Map<string, number>();
  const cellsPerKey = new Map<string, Set<string>>();
  for (const i of rows) {
    const r = records[i]!;
    const k = key(r);
    const c = `${r.group}|${k}`;
    cell.set(c, (cell.get(c) ?? 0) + 1);
    if (!cellsPerKey.has(k)) cellsPerKey.set(k, new Set());
    cellsPerKey.get(k)!.add(r.group);
  }
  const w = new Float32Array(rows.length);
  let sum = 0;
  rows.forEach((i, n) => {
    const r = records[i]!;
    const k = key(r);
    w[n] = 1 / (cell.get(`${r.group}|${k}`)! * cellsPerKey.get(k)!.size);
    sum += w[n]!;
  });
  // Mean weight 1 keeps the learning rate meaningful.
  for (let n = 0; n < w.length; n++) w[n]! *= rows.length / sum;
  return w;
}

export interface Heads {
  role: LinearModel;
  ai: LinearModel;
  inv: LinearModel;
  spec: FeatureSpec;
  mlp: Mlp | null;
  /** Which heads come from the MLP. */
  fromMlp: ('role' | 'ai' | 'inv')[];
}

export interface HeadConfig {
  /** Train the human-vs-AI head only on sources that contain human text (within-source contrasts). */
  aiPairedOnly?: boolean;
  /** Heads that see only the style block (their hashed-block weights stay 0 in the ONNX graph). */
  styleOnly?: ('role' | 'ai' | 'inv')[];
  /** Heads computed by the style MLP instead of a linear model. */
  mlp?: ('role' | 'ai' | 'inv')[];
  mlpOptions?: Partial<MlpOptions>;
  /** Weight AI-positive examples of the human-vs-AI head by their involvement (a text 10% edited by an LLM is mostly human). */
  aiInvWeight?: boolean;
  /**
   * Source bagging: train one model per left-out training source and average the weights (for
   * linear heads, averaging weights = averaging logits). Favors what holds across sources.
   */
  bagSources?: boolean;
  /**
   * Group DRO rounds for the human-vs-AI head: after each fit, human sources whose texts score
   * most "AI" get more weight (exponentiated mean loss), so no human population is left behind.
   */
  aiDroRounds?: number;
  /** Multiplies the weight of every row of the groups named (all three heads), e.g. to let extra corpora count less. */
  groupWeight?: Record<string, number>;
}

/** The same rows without the hashed block (style features keep their indices). */
function styleRows(rows: readonly Row[], H: number): Row[] {
  return rows.map((r) => {
    let k = 0;
    while (k < r.idx.length && r.idx[k]! < H) k++;
    return { idx: r.idx.subarray(k), val: r.val.subarray(k) };
  });
}

export function trainHeads(
  records: readonly Record_[],
  fz: Featurized,
  trainIdx: readonly number[],
  baseSpec: FeatureSpec,
  opts: TrainOptions = DEFAULT_TRAIN,
  cfg: HeadConfig = {},
): Heads {
  if (!cfg.bagSources) return trainHeadsOnce(records, fz, trainIdx, baseSpec, opts, cfg);
  const groups = [...new Set(trainIdx.map((i) => records[i]!.group))];
  const full = trainHeadsOnce(records, fz, trainIdx, baseSpec, opts, cfg);
  const models = [full];
  for (const g of groups) {
    const sub = trainIdx.filter((i) => records[i]!.group !== g);
    // Keep the full model's standardization so the bagged weights share one input space.
    models.push(trainHeadsOnce(records, fz, sub, full.spec, opts, cfg, true));
  }
  const avg = (pick: (h: Heads) => LinearModel): LinearModel => {
    const first = pick(models[0]!);
    const W = new Float32Array(first.W.length);
    const b = new Float32Array(first.b.length);
    for (const m of models) {
      const lm = pick(m);
      for (let i = 0; i < W.length; i++) W[i]! += lm.W[i]! / models.length;
      for (let i = 0; i < b.length; i++) b[i]! += lm.b[i]! / models.length;
    }
    return { ...first, W, b };
  };
  return { ...full, role: avg((h) => h.role), ai: avg((h) => h.ai), inv: avg((h) => h.inv) };
}

function trainHeadsOnce(
  records: readonly Record_[],
  fz: Featurized,
  trainIdx: readonly number[],
  baseSpec: FeatureSpec,
  opts: TrainOptions = DEFAULT_TRAIN,
  cfg: HeadConfig = {},
  keepStandardization = false,
): Heads {
  const f = baseSpec.style.length;
  const { mean, std } = keepStandardization
    ? { mean: baseSpec.styleMean, std: baseSpec.styleStd }
    : fitStandardization(fz.style, trainIdx, f);
  const spec: FeatureSpec = { ...baseSpec, styleMean: mean, styleStd: std };
  const dim = featureDim(spec);
  const rows = trainIdx.map((i) => buildRow(fz, i, spec));
  const roleT = new Float32Array(rows.length * 4);
  const aiT = new Float32Array(rows.length);
  const invT = new Float32Array(rows.length);
  trainIdx.forEach((i, n) => {
    const r = records[i]!;
    roleT[n * 4 + r.role] = 1;
    aiT[n] = r.role === 0 ? 0 : 1;
    invT[n] = Number.isFinite(r.involvement) ? r.involvement : r.role === 0 ? 0 : 0.5;
  });
  const wRole = balancedWeights(records, trainIdx, (r) => String(r.role));
  // Sources without any human text teach "this domain means AI" (LLMDetect's polish/extension
  // news); optionally keep them out of the human-vs-AI head.
  const withHuman = new Set(trainIdx.filter((i) => records[i]!.role === 0).map((i) => records[i]!.group));
  const aiIdx = cfg.aiPairedOnly ? trainIdx.filter((i) => withHuman.has(records[i]!.group)) : trainIdx;
  const wAiSub = balancedWeights(records, aiIdx, (r) => (r.role === 0 ? 'h' : 'ai'));
  const wAi = new Float32Array(trainIdx.length);
  {
    const pos = new Map(aiIdx.map((i, n) => [i, n]));
    trainIdx.forEach((i, n) => (wAi[n] = pos.has(i) ? wAiSub[pos.get(i)!]! : 0));
    if (cfg.aiInvWeight) {
      trainIdx.forEach((i, n) => {
        const r = records[i]!;
        if (r.role !== 0) wAi[n]! *= Number.isFinite(r.involvement) ? Math.max(0.05, r.involvement) * 2 : 1;
      });
    }
  }
  const wInv = balancedWeights(records, trainIdx, (r) => String(r.role));
  if (cfg.groupWeight) {
    trainIdx.forEach((i, n) => {
      const m = cfg.groupWeight![records[i]!.group] ?? 1;
      wRole[n]! *= m;
      wAi[n]! *= m;
      wInv[n]! *= m;
    });
  }
  const so = new Set(cfg.styleOnly ?? []);
  const sRows = so.size ? styleRows(rows, 1 << spec.hashBits) : rows;
  const fromMlp = cfg.mlp ?? [];
  const empty = (k: number): LinearModel => ({ W: new Float32Array(dim * k), b: new Float32Array(k), dim, k });
  let mlp: Mlp | null = null;
  if (fromMlp.length) {
    const X = trainIdx.map((i) => styleVector(fz, i, spec));
    const zero = new Float32Array(trainIdx.length);
    mlp = trainMlp(
      X,
      {
        role: Int32Array.from(trainIdx.map((i) => records[i]!.role)),
        ai: aiT,
        inv: invT,
        wRole: fromMlp.includes('role') ? wRole : zero,
        wAi: fromMlp.includes('ai') ? wAi : zero,
        wInv: fromMlp.includes('inv') ? wInv : zero,
      },
      { ...DEFAULT_MLP, ...cfg.mlpOptions },
    );
  }
  return {
    role: fromMlp.includes('role') ? empty(4) : trainLinear(so.has('role') ? sRows : rows, dim, 4, roleT, wRole, opts),
    ai: fromMlp.includes('ai')
      ? empty(1)
      : trainAiHead(records, trainIdx, so.has('ai') ? sRows : rows, dim, aiT, wAi, opts, cfg.aiDroRounds ?? 0),
    inv: fromMlp.includes('inv') ? empty(1) : trainLinear(so.has('inv') ? sRows : rows, dim, 1, invT, wInv, opts),
    spec,
    mlp,
    fromMlp,
  };
}

/** The human-vs-AI head, optionally reweighted towards the worst-scored human sources (group DRO). */
function trainAiHead(
  records: readonly Record_[],
  trainIdx: readonly number[],
  rows: readonly Row[],
  dim: number,
  target: Float32Array,
  w0: Float32Array,
  opts: TrainOptions,
  rounds: number,
): LinearModel {
  let model = trainLinear(rows, dim, 1, target, w0, opts);
  // Weight multiplier per human source (1 until a round raises or lowers it).
  const mult = new Map<string, number>();
  const z = new Float64Array(1);
  for (let round = 0; round < rounds; round++) {
    const loss = new Map<string, { sum: number; n: number }>();
    trainIdx.forEach((i, n) => {
      const r = records[i]!;
      if (r.role !== 0 || w0[n]! === 0) return;
      const p = sigmoid(predictRaw(model, rows[n]!, z)[0]!);
      const e = loss.get(r.group) ?? { sum: 0, n: 0 };
      e.sum += -Math.log(Math.max(1e-6, 1 - p));
      e.n++;
      loss.set(r.group, e);
    });
    const means = [...loss.entries()].map(([g, e]) => [g, e.sum / e.n] as const);
    const avg = means.reduce((a, [, m]) => a + m, 0) / Math.max(1, means.length);
    for (const [g, m] of means) mult.set(g, (mult.get(g) ?? 1) * Math.exp(Math.min(2, m / Math.max(1e-6, avg) - 1)));
    const w = Float32Array.from(w0, (v, n) => {
      const r = records[trainIdx[n]!]!;
      return r.role === 0 ? v * (mult.get(r.group) ?? 1) : v;
    });
    model = trainLinear(rows, dim, 1, target, w, opts);
  }
  return model;
}

export interface Scored {
  roleProbs: number[];
  aiLogit: number;
  involvement: number;
}

/** Standardized, clipped style block of one record (the MLP's input). */
export function styleVector(fz: Featurized, i: number, spec: FeatureSpec): Float32Array {
  const s = fz.style[i]!;
  const out = new Float32Array(spec.style.length);
  for (let j = 0; j < out.length; j++)
    out[j] = Math.max(-5, Math.min(5, (s[j]! - spec.styleMean[j]!) / spec.styleStd[j]!));
  return out;
}

export function scoreRows(h: Heads, fz: Featurized, idx: readonly number[]): Scored[] {
  const z4 = new Float64Array(4);
  const z1 = new Float64Array(1);
  return idx.map((i) => {
    const row = buildRow(fz, i, h.spec);
    const m = h.mlp ? predictMlp(h.mlp, styleVector(fz, i, h.spec)) : null;
    const roleProbs = softmax(m && h.fromMlp.includes('role') ? m.roleLogits : predictRaw(h.role, row, z4));
    const aiLogit = m && h.fromMlp.includes('ai') ? m.aiLogit : predictRaw(h.ai, row, z1)[0]!;
    const involvement = sigmoid(m && h.fromMlp.includes('inv') ? m.invLogit : predictRaw(h.inv, row, z1)[0]!);
    return { roleProbs, aiLogit, involvement };
  });
}

/**
 * Cross-source lexicon: words whose document frequency is higher in LLM than in human text (or the
 * reverse) in *every* training source that has both, by at least `minLogOdds`. Fitted per LOSO fold
 * from training sources only.
 */
export function fitLexicon(
  records: readonly Record_[],
  uniq: readonly string[][],
  trainIdx: readonly number[],
  opts = { minGroups: 4, minLogOdds: 0.2, maxWords: 400, minDf: 30 },
): { ai: string[]; human: string[] } {
  const byGroup = new Map<string, { nH: number; nA: number; h: Map<string, number>; a: Map<string, number> }>();
  const total = new Map<string, number>();
  for (const i of trainIdx) {
    const r = records[i]!;
    if (r.lang !== 'en') continue;
    let g = byGroup.get(r.group);
    if (!g) byGroup.set(r.group, (g = { nH: 0, nA: 0, h: new Map(), a: new Map() }));
    const human = r.role === 0;
    if (human) g.nH++;
    else g.nA++;
    const m = human ? g.h : g.a;
    for (const w of uniq[i]!) {
      m.set(w, (m.get(w) ?? 0) + 1);
      total.set(w, (total.get(w) ?? 0) + 1);
    }
  }
  const groups = [...byGroup.values()].filter((g) => g.nH >= 20 && g.nA >= 20);
  const ai: [string, number][] = [];
  const human: [string, number][] = [];
  for (const [w, df] of total) {
    if (df < opts.minDf || w.length < 2 || /\d/.test(w)) continue;
    const los: number[] = [];
    for (const g of groups) {
      const dh = g.h.get(w) ?? 0;
      const da = g.a.get(w) ?? 0;
      if (dh + da < 5) continue;
      los.push(Math.log((da + 0.5) / (g.nA + 1)) - Math.log((dh + 0.5) / (g.nH + 1)));
    }
    if (los.length < Math.min(opts.minGroups, groups.length)) continue;
    const min = Math.min(...los);
    const max = Math.max(...los);
    const mean = los.reduce((a, b) => a + b, 0) / los.length;
    if (min >= opts.minLogOdds) ai.push([w, mean]);
    else if (max <= -opts.minLogOdds) human.push([w, -mean]);
  }
  const top = (xs: [string, number][]): string[] =>
    xs
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, opts.maxWords)
      .map(([w]) => w);
  return { ai: top(ai), human: top(human) };
}

/** Writes the lexicon features of every record into its raw style row (columns named lex_ai / lex_human). */
export function applyLexicon(
  fz: Featurized,
  uniqTokens: readonly string[][],
  tokenCounts: readonly number[],
  spec: FeatureSpec,
  lex: { ai: string[]; human: string[] },
): void {
  const jA = spec.style.indexOf('lex_ai');
  const jH = spec.style.indexOf('lex_human');
  if (jA < 0 && jH < 0) return;
  const A = new Set(lex.ai);
  const H = new Set(lex.human);
  fz.style.forEach((row, i) => {
    let a = 0;
    let h = 0;
    for (const t of uniqTokens[i]!) {
      if (A.has(t)) a++;
      else if (H.has(t)) h++;
    }
    const scale = Math.sqrt(Math.max(1, tokenCounts[i]!));
    if (jA >= 0) row[jA] = a / scale;
    if (jH >= 0) row[jH] = h / scale;
  });
}
