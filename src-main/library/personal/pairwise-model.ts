import { FEATURE_COUNT } from './features';

/** One logged query's candidates: feature rows and what the writer said (1 relevant, 0 not, null unknown). */
export interface TrainingList {
  rows: Float64Array[];
  labels: Array<0 | 1 | null>;
}

export interface FitOptions {
  /** Pull toward the prior, over the number of curated queries Q: larger keeps a short log close to plain hybrid (default 1). */
  lambda?: number;
  /** Weight of "curated relevant above an unlabelled candidate" pairs, and "unlabelled above excluded" (default 0.25). */
  unlabeledWeight?: number;
  iterations?: number;
  /** Most pairs kept per list (unlabelled ones sampled evenly by rank). */
  maxPairsPerList?: number;
}

/** The prior: all weight on the hybrid score, so a user with no log gets plain hybrid ranking. */
export function priorWeights(): Float64Array {
  const w = new Float64Array(FEATURE_COUNT);
  w[0] = 2;
  return w;
}

interface Pair {
  diff: Float64Array;
  weight: number;
}

/**
 * A pairwise logistic ranker (RankNet with a linear score): minimizes
 *   (1/Q) Σ_queries mean_pairs(weight · log(1 + exp(−w·(x_better − x_worse)))) + (λ/Q) · ‖w − w_prior‖²
 * by gradient descent with Adam. Pairs: relevant above not relevant (weight 1), relevant above
 * unlabelled and unlabelled above not relevant (a smaller weight: the writer did not say, but
 * curating one and leaving the other is a signal). The L2 pull toward the prior keeps a short log
 * from undoing hybrid; with no pairs the result is the prior itself.
 */
export function fitPairwise(lists: readonly TrainingList[], options: FitOptions = {}): Float64Array {
  const lambda = options.lambda ?? 1;
  const uw = options.unlabeledWeight ?? 0.25;
  const maxPairs = options.maxPairsPerList ?? 400;
  const prior = priorWeights();
  const pairs: Pair[] = [];
  for (const list of lists) {
    const pos: number[] = [];
    const neg: number[] = [];
    const unk: number[] = [];
    list.labels.forEach((l, i) => (l === 1 ? pos : l === 0 ? neg : unk).push(i));
    const out: Pair[] = [];
    const add = (a: number, b: number, weight: number) => {
      const diff = new Float64Array(FEATURE_COUNT);
      for (let f = 0; f < FEATURE_COUNT; f++) diff[f] = list.rows[a]![f]! - list.rows[b]![f]!;
      out.push({ diff, weight });
    };
    for (const p of pos) for (const n of neg) add(p, n, 1);
    const room = Math.max(0, maxPairs - out.length);
    const perSide = Math.floor(room / Math.max(1, pos.length + neg.length));
    const sampled = sampleEvenly(unk, perSide);
    for (const p of pos) for (const u of sampled) add(p, u, uw);
    for (const n of neg) for (const u of sampled) add(u, n, uw);
    // Each query counts once however many pairs it gives (its pairs are far from independent).
    const kept = out.slice(0, maxPairs);
    const listWeight = kept.reduce((sum, p) => sum + p.weight, 0);
    for (const p of kept) pairs.push({ diff: p.diff, weight: p.weight / listWeight });
  }
  const w = Float64Array.from(prior);
  if (pairs.length === 0) return w;
  const iterations = options.iterations ?? 300;
  const m = new Float64Array(FEATURE_COUNT);
  const v = new Float64Array(FEATURE_COUNT);
  const lr = 0.05;
  const grad = new Float64Array(FEATURE_COUNT);
  const queries = lists.filter((l) => l.labels.some((x) => x !== null)).length;
  for (let it = 1; it <= iterations; it++) {
    grad.fill(0);
    for (const p of pairs) {
      let s = 0;
      for (let f = 0; f < FEATURE_COUNT; f++) s += w[f]! * p.diff[f]!;
      // d/ds log(1 + e^−s) = −σ(−s)
      const g = -p.weight / (1 + Math.exp(s));
      for (let f = 0; f < FEATURE_COUNT; f++) grad[f]! += g * p.diff[f]!;
    }
    for (let f = 0; f < FEATURE_COUNT; f++) {
      // Mean loss per query, and a pull toward the prior that shrinks with the number of curated
      // queries: more curation earns more freedom from plain hybrid.
      const gf = grad[f]! / queries + (2 * lambda * (w[f]! - prior[f]!)) / queries;
      m[f] = 0.9 * m[f]! + 0.1 * gf;
      v[f] = 0.999 * v[f]! + 0.001 * gf * gf;
      const mh = m[f]! / (1 - 0.9 ** it);
      const vh = v[f]! / (1 - 0.999 ** it);
      w[f]! -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  return w;
}

export function scoreRow(w: Float64Array, x: Float64Array): number {
  let s = 0;
  for (let f = 0; f < FEATURE_COUNT; f++) s += w[f]! * x[f]!;
  return s;
}

function sampleEvenly<T>(xs: readonly T[], n: number): T[] {
  if (n <= 0) return [];
  if (xs.length <= n) return [...xs];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.floor((i * xs.length) / n)]!);
  return out;
}
