/** Binary logistic regression on standardized features (batch gradient descent, L2, class-balanced). */

export interface LogisticFit {
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logisticScore(fit: LogisticFit, x: readonly number[]): number {
  let z = fit.bias;
  for (let i = 0; i < fit.weights.length; i++) z += fit.weights[i]! * ((x[i]! - fit.mean[i]!) / fit.std[i]!);
  return sigmoid(z);
}

export function fitLogistic(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  options: { iterations?: number; learningRate?: number; l2?: number } = {},
): LogisticFit {
  const n = xs.length;
  if (n === 0) throw new Error('no training pairs');
  const dim = xs[0]!.length;
  const mean = new Array<number>(dim).fill(0);
  const std = new Array<number>(dim).fill(0);
  for (const x of xs) for (let j = 0; j < dim; j++) mean[j]! += x[j]! / n;
  for (const x of xs) for (let j = 0; j < dim; j++) std[j]! += (x[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < dim; j++) std[j] = Math.sqrt(std[j]!) || 1;
  const z = xs.map((x) => x.map((v, j) => (v - mean[j]!) / std[j]!));
  // Class balance: changes are the minority in most problems; equal total weight per class.
  const pos = ys.filter((y) => y === 1).length;
  const wPos = pos > 0 ? n / (2 * pos) : 1;
  const wNeg = n - pos > 0 ? n / (2 * (n - pos)) : 1;
  const weights = new Array<number>(dim).fill(0);
  let bias = 0;
  const iterations = options.iterations ?? 400;
  const lr = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-3;
  const grad = new Array<number>(dim);
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const row = z[i]!;
      let s = bias;
      for (let j = 0; j < dim; j++) s += weights[j]! * row[j]!;
      const w = ys[i] === 1 ? wPos : wNeg;
      const err = (sigmoid(s) - ys[i]!) * w;
      for (let j = 0; j < dim; j++) grad[j]! += err * row[j]!;
      gb += err;
    }
    for (let j = 0; j < dim; j++) weights[j]! -= lr * (grad[j]! / n + l2 * weights[j]!);
    bias -= lr * (gb / n);
  }
  return { mean, std, weights, bias };
}
