import { terms } from './terms';

/**
 * Latent semantic analysis, the dense method that needs no download: a TF-IDF matrix of the
 * library's chunks, reduced by a truncated SVD (randomized range finder with power iterations,
 * Halko, Martinsson & Tropp 2011). Chunks and queries are both projected onto the top right
 * singular vectors (q · V_k) and L2-normalized, so cosine similarity compares them.
 */
export interface LsaModel {
  dims: number;
  /** Term → column. */
  vocab: Map<string, number>;
  idf: Float32Array;
  /** V_k, row-major: vocab.size × dims. */
  proj: Float32Array;
}

export interface LsaFitOptions {
  dims?: number;
  /** Most terms kept (by document frequency). */
  maxVocab?: number;
  /** Power iterations (default 1; more = closer to the exact SVD, slower). */
  powerIterations?: number;
  /** Seed for the random test matrix: the fit is deterministic for the same texts. */
  seed?: number;
}

export const DEFAULT_LSA_DIMS = 128;

interface SparseRow {
  cols: Int32Array;
  vals: Float32Array;
}

/** Fits the model on `texts` (a sample of the library's chunks). */
export function fitLsa(texts: readonly string[], options: LsaFitOptions = {}): LsaModel {
  const maxVocab = options.maxVocab ?? 20_000;
  const df = new Map<string, number>();
  const docTerms = texts.map((t) => {
    const counts = new Map<string, number>();
    for (const w of terms(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const w of counts.keys()) df.set(w, (df.get(w) ?? 0) + 1);
    return counts;
  });
  const n = texts.length;
  const minDf = n >= 50 ? 2 : 1;
  const kept = [...df.entries()]
    .filter(([, d]) => d >= minDf && (n < 10 || d < n * 0.5))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxVocab);
  const vocab = new Map<string, number>(kept.map(([w], i) => [w, i]));
  const idf = new Float32Array(vocab.size);
  for (const [w, i] of vocab) idf[i] = Math.log((1 + n) / (1 + df.get(w)!)) + 1;
  const rows = docTerms.map((c) => tfidfRow(c, vocab, idf));
  const V = vocab.size;
  const dims = Math.max(1, Math.min(options.dims ?? DEFAULT_LSA_DIMS, V, n));
  const l = Math.min(dims + 8, V, n);
  const rand = mulberry32(options.seed ?? 0x5eed);
  // Ω: V × l Gaussian; Y = A Ω (n × l).
  const omega = new Float64Array(V * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rand);
  let Y = mulA(rows, omega, l, n);
  const iterations = options.powerIterations ?? 1;
  // Intermediate bases only need to stay well conditioned (one CholeskyQR pass); the final Q is exact (two).
  orthonormalize(Y, n, l, iterations > 0 ? 1 : 2);
  for (let it = 0; it < iterations; it++) {
    const Z = mulAt(rows, Y, l, V); // V × l
    orthonormalize(Z, V, l, 1);
    Y = mulA(rows, Z, l, n);
    orthonormalize(Y, n, l, it === iterations - 1 ? 2 : 1);
  }
  // B = Qᵀ A (l × V), as Bᵀ = Aᵀ Q (V × l).
  const Bt = mulAt(rows, Y, l, V);
  // B Bᵀ = U S² Uᵀ (l × l), then V_k = Bᵀ U S⁻¹.
  const G = new Float64Array(l * l);
  for (let v = 0; v < V; v++) {
    const o = v * l;
    for (let i = 0; i < l; i++) {
      const x = Bt[o + i]!;
      if (x === 0) continue;
      for (let j = i; j < l; j++) G[i * l + j]! += x * Bt[o + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) G[i * l + j] = G[j * l + i]!;
  const { values, vectors } = jacobiEigen(G, l);
  const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!).slice(0, dims);
  const proj = new Float32Array(V * dims);
  // W (dims × l): the chosen eigenvectors scaled by 1/σ, so V_k[v] = Bᵀ[v] · Wᵀ walks both contiguously.
  const W = new Float64Array(dims * l);
  order.forEach((e, k) => {
    const s = Math.sqrt(Math.max(values[e]!, 1e-12));
    for (let i = 0; i < l; i++) W[k * l + i] = vectors[i * l + e]! / s;
  });
  for (let v = 0; v < V; v++) {
    const o = v * l;
    for (let k = 0; k < order.length; k++) {
      let acc = 0;
      const w = k * l;
      for (let i = 0; i < l; i++) acc += Bt[o + i]! * W[w + i]!;
      proj[v * dims + k] = acc;
    }
  }
  return { dims, vocab, idf, proj };
}

/** The unit-length LSA vector of a text (all zeros when it shares no term with the vocabulary). */
export function embedLsa(model: LsaModel, text: string): Float32Array {
  const counts = new Map<string, number>();
  for (const w of terms(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const row = tfidfRow(counts, model.vocab, model.idf);
  const out = new Float32Array(model.dims);
  const d = model.dims;
  for (let i = 0; i < row.cols.length; i++) {
    const o = row.cols[i]! * d;
    const x = row.vals[i]!;
    for (let k = 0; k < d; k++) out[k]! += x * model.proj[o + k]!;
  }
  let norm = 0;
  for (let k = 0; k < d; k++) norm += out[k]! * out[k]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let k = 0; k < d; k++) out[k]! /= norm;
  return out;
}

/** Sublinear TF × IDF over the vocabulary, L2-normalized. */
function tfidfRow(counts: Map<string, number>, vocab: Map<string, number>, idf: Float32Array): SparseRow {
  const cols: number[] = [];
  const vals: number[] = [];
  let norm = 0;
  for (const [w, c] of counts) {
    const j = vocab.get(w);
    if (j === undefined) continue;
    const x = (1 + Math.log(c)) * idf[j]!;
    cols.push(j);
    vals.push(x);
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  return { cols: Int32Array.from(cols), vals: Float32Array.from(vals, (x) => x / norm) };
}

/** A (n × V sparse) · M (V × l dense) → n × l. */
function mulA(rows: readonly SparseRow[], M: Float64Array, l: number, n: number): Float64Array {
  const out = new Float64Array(n * l);
  for (let r = 0; r < n; r++) {
    const { cols, vals } = rows[r]!;
    const o = r * l;
    for (let i = 0; i < cols.length; i++) {
      const m = cols[i]! * l;
      const x = vals[i]!;
      for (let j = 0; j < l; j++) out[o + j]! += x * M[m + j]!;
    }
  }
  return out;
}

/** Aᵀ (V × n) · M (n × l) → V × l. */
function mulAt(rows: readonly SparseRow[], M: Float64Array, l: number, V: number): Float64Array {
  const out = new Float64Array(V * l);
  for (let r = 0; r < rows.length; r++) {
    const { cols, vals } = rows[r]!;
    const o = r * l;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]! * l;
      const x = vals[i]!;
      for (let j = 0; j < l; j++) out[c + j]! += x * M[o + j]!;
    }
  }
  return out;
}

/**
 * Orthonormalizes the l columns of a row-major (rows × l) matrix in place by CholeskyQR: G = MᵀM,
 * G = RᵀR, M ← M R⁻¹; two passes (CholeskyQR2) restore the orthogonality one pass loses. Every pass
 * walks M row by row, which is what makes it fast in JS (Gram-Schmidt strides across columns).
 */
function orthonormalize(M: Float64Array, rows: number, l: number, passes: number): void {
  for (let pass = 0; pass < passes; pass++) {
    const G = new Float64Array(l * l);
    for (let r = 0; r < rows; r++) {
      const o = r * l;
      for (let i = 0; i < l; i++) {
        const x = M[o + i]!;
        if (x === 0) continue;
        const gi = i * l;
        for (let j = i; j < l; j++) G[gi + j]! += x * M[o + j]!;
      }
    }
    // Cholesky of G (upper R), with a tiny ridge for rank-deficient columns.
    let trace = 0;
    for (let i = 0; i < l; i++) trace += G[i * l + i]!;
    const ridge = Math.max(1e-12, (trace / l) * 1e-10);
    const R = new Float64Array(l * l);
    for (let i = 0; i < l; i++) {
      let d = G[i * l + i]! + ridge;
      for (let k = 0; k < i; k++) d -= R[k * l + i]! ** 2;
      const rii = Math.sqrt(Math.max(d, ridge));
      R[i * l + i] = rii;
      for (let j = i + 1; j < l; j++) {
        let v = G[i * l + j]!;
        for (let k = 0; k < i; k++) v -= R[k * l + i]! * R[k * l + j]!;
        R[i * l + j] = v / rii;
      }
    }
    // Each row y ← y R⁻¹ (forward substitution, since yᵀ = Rᵀ xᵀ).
    for (let r = 0; r < rows; r++) {
      const o = r * l;
      for (let j = 0; j < l; j++) {
        let v = M[o + j]!;
        for (let k = 0; k < j; k++) v -= M[o + k]! * R[k * l + j]!;
        M[o + j] = v / R[j * l + j]!;
      }
    }
  }
}

/** Eigen-decomposition of a symmetric l × l matrix by cyclic Jacobi rotations (vectors as columns). */
function jacobiEigen(A: Float64Array, l: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: l }, (_, i) => a[i * l + i]!), vectors: v };
}

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Serialized form for the database. */
export function serializeLsa(m: LsaModel): { vocab: string; idf: Buffer; proj: Buffer } {
  const words = [...m.vocab.entries()].sort((a, b) => a[1] - b[1]).map(([w]) => w);
  return {
    vocab: JSON.stringify(words),
    idf: Buffer.from(m.idf.buffer, m.idf.byteOffset, m.idf.byteLength),
    proj: Buffer.from(m.proj.buffer, m.proj.byteOffset, m.proj.byteLength),
  };
}

export function deserializeLsa(dims: number, vocab: string, idf: Buffer, proj: Buffer): LsaModel {
  const words = JSON.parse(vocab) as string[];
  const f32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return { dims, vocab: new Map(words.map((w, i) => [w, i])), idf: f32(idf), proj: f32(proj) };
}
