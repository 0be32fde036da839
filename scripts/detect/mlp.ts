/**
 * A small multi-task MLP over the style block: one shared ReLU layer, three heads (4-role softmax,
 * human-vs-AI logit, involvement logit). Minibatch Adam; tiny enough (F x 32) to train in seconds.
 */

export interface Mlp {
  f: number;
  h: number;
  W1: Float32Array; // [f, h]
  b1: Float32Array; // [h]
  Wr: Float32Array; // [h, 4]
  br: Float32Array;
  Wa: Float32Array; // [h, 1]
  ba: Float32Array;
  Wi: Float32Array; // [h, 1]
  bi: Float32Array;
}

export interface MlpOptions {
  hidden: number;
  epochs: number;
  lr: number;
  weightDecay: number;
  batch: number;
  seed: number;
}

export const DEFAULT_MLP: MlpOptions = { hidden: 32, epochs: 12, lr: 2e-3, weightDecay: 1e-4, batch: 64, seed: 11 };

export interface MlpTargets {
  role: Int32Array; // class index
  ai: Float32Array; // 0/1
  inv: Float32Array; // [0,1]
  wRole: Float32Array;
  wAi: Float32Array;
  wInv: Float32Array;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const PARAMS = ['W1', 'b1', 'Wr', 'br', 'Wa', 'ba', 'Wi', 'bi'] as const;

export function trainMlp(X: readonly Float32Array[], t: MlpTargets, opts: MlpOptions = DEFAULT_MLP): Mlp {
  const f = X[0]!.length;
  const H = opts.hidden;
  const rand = rng(opts.seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const init = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => gauss() * scale);
  const m: Mlp = {
    f,
    h: H,
    W1: init(f * H, Math.sqrt(2 / f)),
    b1: new Float32Array(H),
    Wr: init(H * 4, Math.sqrt(1 / H)),
    br: new Float32Array(4),
    Wa: init(H, Math.sqrt(1 / H)),
    ba: new Float32Array(1),
    Wi: init(H, Math.sqrt(1 / H)),
    bi: new Float32Array(1),
  };
  const grads = Object.fromEntries(PARAMS.map((p) => [p, new Float32Array(m[p].length)])) as Record<
    (typeof PARAMS)[number],
    Float32Array
  >;
  const m1 = Object.fromEntries(PARAMS.map((p) => [p, new Float32Array(m[p].length)])) as Record<
    (typeof PARAMS)[number],
    Float32Array
  >;
  const m2 = Object.fromEntries(PARAMS.map((p) => [p, new Float32Array(m[p].length)])) as Record<
    (typeof PARAMS)[number],
    Float32Array
  >;
  const n = X.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const hid = new Float32Array(H);
  const dh = new Float32Array(H);
  let step = 0;
  for (let ep = 0; ep < opts.epochs; ep++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    for (let s = 0; s < n; s += opts.batch) {
      for (const p of PARAMS) grads[p].fill(0);
      const end = Math.min(n, s + opts.batch);
      for (let q = s; q < end; q++) {
        const r = order[q]!;
        const x = X[r]!;
        for (let k = 0; k < H; k++) {
          let z = m.b1[k]!;
          for (let j = 0; j < f; j++) z += x[j]! * m.W1[j * H + k]!;
          hid[k] = z > 0 ? z : 0;
        }
        // Role softmax.
        const zr = [m.br[0]!, m.br[1]!, m.br[2]!, m.br[3]!];
        for (let k = 0; k < H; k++) for (let c = 0; c < 4; c++) zr[c]! += hid[k]! * m.Wr[k * 4 + c]!;
        const mx = Math.max(...zr);
        const e = zr.map((v) => Math.exp(v - mx));
        const se = e[0]! + e[1]! + e[2]! + e[3]!;
        const gr = e.map((v, c) => t.wRole[r]! * (v / se - (t.role[r] === c ? 1 : 0)));
        let za = m.ba[0]!;
        let zi = m.bi[0]!;
        for (let k = 0; k < H; k++) {
          za += hid[k]! * m.Wa[k]!;
          zi += hid[k]! * m.Wi[k]!;
        }
        const ga = t.wAi[r]! * (1 / (1 + Math.exp(-za)) - t.ai[r]!);
        const gi = t.wInv[r]! * (1 / (1 + Math.exp(-zi)) - t.inv[r]!);
        for (let c = 0; c < 4; c++) grads.br[c]! += gr[c]!;
        grads.ba[0]! += ga;
        grads.bi[0]! += gi;
        for (let k = 0; k < H; k++) {
          let d = ga * m.Wa[k]! + gi * m.Wi[k]!;
          for (let c = 0; c < 4; c++) {
            grads.Wr[k * 4 + c]! += gr[c]! * hid[k]!;
            d += gr[c]! * m.Wr[k * 4 + c]!;
          }
          grads.Wa[k]! += ga * hid[k]!;
          grads.Wi[k]! += gi * hid[k]!;
          dh[k] = hid[k]! > 0 ? d : 0;
        }
        for (let k = 0; k < H; k++) {
          const d = dh[k]!;
          if (d === 0) continue;
          grads.b1[k]! += d;
          for (let j = 0; j < f; j++) grads.W1[j * H + k]! += d * x[j]!;
        }
      }
      step++;
      const bs = end - s;
      const b1c = 1 - Math.pow(0.9, step);
      const b2c = 1 - Math.pow(0.999, step);
      for (const p of PARAMS) {
        const w = m[p];
        const g = grads[p];
        const a = m1[p];
        const v = m2[p];
        const decay = p.startsWith('W') ? opts.weightDecay : 0;
        for (let i = 0; i < w.length; i++) {
          const gi = g[i]! / bs;
          a[i] = 0.9 * a[i]! + 0.1 * gi;
          v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
          w[i] = w[i]! - opts.lr * (a[i]! / b1c / (Math.sqrt(v[i]! / b2c) + 1e-8) + decay * w[i]!);
        }
      }
    }
  }
  return m;
}

export function predictMlp(m: Mlp, x: Float32Array): { roleLogits: number[]; aiLogit: number; invLogit: number } {
  const H = m.h;
  const hid = new Float32Array(H);
  for (let k = 0; k < H; k++) {
    let z = m.b1[k]!;
    for (let j = 0; j < m.f; j++) z += x[j]! * m.W1[j * H + k]!;
    hid[k] = z > 0 ? z : 0;
  }
  const roleLogits = [m.br[0]!, m.br[1]!, m.br[2]!, m.br[3]!];
  let aiLogit = m.ba[0]!;
  let invLogit = m.bi[0]!;
  for (let k = 0; k < H; k++) {
    for (let c = 0; c < 4; c++) roleLogits[c]! += hid[k]! * m.Wr[k * 4 + c]!;
    aiLogit += hid[k]! * m.Wa[k]!;
    invLogit += hid[k]! * m.Wi[k]!;
  }
  return { roleLogits, aiLogit, invLogit };
}
