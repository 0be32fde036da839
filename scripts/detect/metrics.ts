/** Evaluation metrics used by train (LOSO) and eval. Unweighted unless stated. */

export const ROLES = ['human', 'polished', 'extended', 'generated'] as const;
export type RoleName = (typeof ROLES)[number];

export function auroc(scores: readonly number[], labels: readonly number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let nPos = 0;
  let nNeg = 0;
  for (const l of labels) {
    if (l > 0.5) nPos++;
    else nNeg++;
  }
  if (nPos === 0 || nNeg === 0) return NaN;
  // Rank-sum with average ranks for ties.
  let rankSumPos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && scores[idx[j]!] === scores[idx[i]!]) j++;
    const avg = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (labels[idx[k]!]! > 0.5) rankSumPos += avg;
    i = j;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** TPR at the largest threshold whose FPR is <= fpr (computed on these same scores). */
export function tprAtFpr(scores: readonly number[], labels: readonly number[], fpr: number): number {
  const neg = scores.filter((_, i) => labels[i]! <= 0.5).sort((a, b) => b - a);
  const pos = scores.filter((_, i) => labels[i]! > 0.5);
  if (neg.length === 0 || pos.length === 0) return NaN;
  const k = Math.floor(fpr * neg.length);
  const thr = k < neg.length ? neg[k]! : -Infinity;
  return pos.filter((s) => s > thr).length / pos.length;
}

export interface RoleReport {
  macroF1: number;
  perClass: Record<string, { f1: number; precision: number; recall: number; support: number }>;
  confusion: number[][];
  accuracy: number;
}

/** Macro-F1 over the classes that occur in truth or prediction. */
export function roleReport(truth: readonly number[], pred: readonly number[], k = 4): RoleReport {
  const conf = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < truth.length; i++) conf[truth[i]!]![pred[i]!]!++;
  const perClass: RoleReport['perClass'] = {};
  const f1s: number[] = [];
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const tp = conf[c]![c]!;
    correct += tp;
    const support = conf[c]!.reduce((a, b) => a + b, 0);
    const predicted = conf.reduce((a, row) => a + row[c]!, 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[ROLES[c] ?? String(c)] = { f1, precision, recall, support };
    if (support > 0 || predicted > 0) f1s.push(f1);
  }
  return {
    macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : NaN,
    perClass,
    confusion: conf,
    accuracy: truth.length ? correct / truth.length : NaN,
  };
}

export function mae(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return a.length ? s / a.length : NaN;
}

export function mse(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return a.length ? s / a.length : NaN;
}

function ranks(x: readonly number[]): number[] {
  const idx = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const r = new Array<number>(x.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && x[idx[j]!] === x[idx[i]!]) j++;
    for (let k = i; k < j; k++) r[idx[k]!] = (i + j - 1) / 2;
    i = j;
  }
  return r;
}

export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length < 2) return NaN;
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, v) => s + v, 0) / n;
  const mb = rb.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : NaN;
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  n: number;
  meanPredicted: number;
  observedRate: number;
}

/** Equal-width reliability table and expected calibration error. */
export function reliability(
  probs: readonly number[],
  labels: readonly number[],
  bins = 10,
): { bins: ReliabilityBin[]; ece: number } {
  const out: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const lo = b / bins;
    const hi = (b + 1) / bins;
    let n = 0;
    let sp = 0;
    let sl = 0;
    for (let i = 0; i < probs.length; i++) {
      const p = probs[i]!;
      if (p >= lo && (p < hi || (b === bins - 1 && p <= hi))) {
        n++;
        sp += p;
        sl += labels[i]!;
      }
    }
    const bin = { lo, hi, n, meanPredicted: n ? sp / n : NaN, observedRate: n ? sl / n : NaN };
    out.push(bin);
    if (n) ece += (n / probs.length) * Math.abs(bin.meanPredicted - bin.observedRate);
  }
  return { bins: out, ece };
}

export const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
