/**
 * Sparse linear models trained with per-sample AdaGrad (Vowpal-Wabbit style): fast on 2 cores,
 * no dependency, and the weights drop straight into an ONNX MatMul.
 */

/** One training row: hashed sparse part plus a dense standardized style block appended after it. */
export interface Row {
  idx: Int32Array;
  val: Float32Array;
}

export interface LinearModel {
  /** Row-major [dim, k]. */
  W: Float32Array;
  b: Float32Array;
  dim: number;
  k: number;
}

export interface TrainOptions {
  epochs: number;
  lr: number;
  l2: number;
  seed: number;
}

export const DEFAULT_TRAIN: TrainOptions = { epochs: 6, lr: 0.2, l2: 1e-5, seed: 7 };

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function shuffled(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * Fit a linear model. `k > 1`: softmax regression, `targets[i*k + c]` is a (soft) class
 * distribution. `k === 1`: logistic regression with soft targets in [0,1] (used for both the
 * binary AI head and the involvement ratio, where cross-entropy on a ratio is a proper loss).
 */
export function trainLinear(
  rows: readonly Row[],
  dim: number,
  k: number,
  targets: Float32Array,
  weights: Float32Array,
  opts: TrainOptions = DEFAULT_TRAIN,
): LinearModel {
  const W = new Float32Array(dim * k);
  const G = new Float32Array(dim * k);
  const b = new Float32Array(k);
  const Gb = new Float32Array(k);
  const z = new Float64Array(k);
  const g = new Float64Array(k);
  const rand = rng(opts.seed);
  const eps = 1e-6;
  for (let ep = 0; ep < opts.epochs; ep++) {
    const order = shuffled(rows.length, rand);
    for (const r of order) {
      const row = rows[r]!;
      const w = weights[r]!;
      if (w === 0) continue;
      for (let c = 0; c < k; c++) z[c] = b[c]!;
      for (let j = 0; j < row.idx.length; j++) {
        const base = row.idx[j]! * k;
        const x = row.val[j]!;
        for (let c = 0; c < k; c++) z[c]! += W[base + c]! * x;
      }
      if (k === 1) {
        const p = 1 / (1 + Math.exp(-z[0]!));
        g[0] = w * (p - targets[r]!);
      } else {
        let m = -Infinity;
        for (let c = 0; c < k; c++) m = Math.max(m, z[c]!);
        let s = 0;
        for (let c = 0; c < k; c++) {
          z[c] = Math.exp(z[c]! - m);
          s += z[c]!;
        }
        for (let c = 0; c < k; c++) g[c] = w * (z[c]! / s - targets[r * k + c]!);
      }
      for (let j = 0; j < row.idx.length; j++) {
        const base = row.idx[j]! * k;
        const x = row.val[j]!;
        for (let c = 0; c < k; c++) {
          const grad = g[c]! * x + opts.l2 * W[base + c]!;
          G[base + c]! += grad * grad;
          W[base + c]! -= (opts.lr * grad) / Math.sqrt(G[base + c]! + eps);
        }
      }
      for (let c = 0; c < k; c++) {
        Gb[c]! += g[c]! * g[c]!;
        b[c]! -= (opts.lr * g[c]!) / Math.sqrt(Gb[c]! + eps);
      }
    }
  }
  return { W, b, dim, k };
}

/** Raw scores (logits) of one row. */
export function predictRaw(m: LinearModel, row: Row, out: Float64Array = new Float64Array(m.k)): Float64Array {
  for (let c = 0; c < m.k; c++) out[c] = m.b[c]!;
  for (let j = 0; j < row.idx.length; j++) {
    const base = row.idx[j]! * m.k;
    const x = row.val[j]!;
    for (let c = 0; c < m.k; c++) out[c]! += m.W[base + c]! * x;
  }
  return out;
}

export function softmax(z: ArrayLike<number>): number[] {
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) m = Math.max(m, z[i]!);
  const e: number[] = [];
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    e.push(Math.exp(z[i]! - m));
    s += e[i]!;
  }
  return e.map((v) => v / s);
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
