/**
 * One dense space's vectors in memory: a contiguous row-major Float32Array of unit-length rows
 * and their chunk ids, scanned in JS for the top k by dot product (= cosine). At 100,000 chunks ×
 * 128 dims that is ~13 M multiply-adds, a few milliseconds, against ~100 ms for sqlite-vec's
 * brute-force scan of its vec0 table through SQL. The database stays the source of truth: this is
 * a cache VectorIndex rebuilds after any change.
 */
export class DenseMatrix {
  private constructor(
    readonly dims: number,
    readonly ids: Float64Array,
    readonly data: Float32Array,
  ) {}

  private rows: Map<number, number> | null = null;

  get size(): number {
    return this.ids.length;
  }

  /** A chunk's (unit) vector, or null when the space has none for it. */
  vector(id: number): Float32Array | null {
    if (!this.rows) {
      this.rows = new Map();
      for (let r = 0; r < this.ids.length; r++) this.rows.set(this.ids[r]!, r);
    }
    const r = this.rows.get(id);
    return r === undefined ? null : this.data.subarray(r * this.dims, (r + 1) * this.dims);
  }

  /** Builds the matrix from (id, vector) rows, normalizing each row (a zero row stays zero). */
  static from(dims: number, rows: Iterable<{ id: number; vector: Float32Array }>, count: number): DenseMatrix {
    const ids = new Float64Array(count);
    const data = new Float32Array(count * dims);
    let n = 0;
    for (const { id, vector } of rows) {
      if (n >= count) break;
      if (vector.length !== dims) throw new Error(`vector of ${vector.length} dims in a ${dims}-dim space`);
      let norm = 0;
      for (let j = 0; j < dims; j++) norm += vector[j]! * vector[j]!;
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      const o = n * dims;
      for (let j = 0; j < dims; j++) data[o + j] = vector[j]! * inv;
      ids[n++] = id;
    }
    return new DenseMatrix(dims, ids.subarray(0, n), data.subarray(0, n * dims));
  }

  /** The k rows most similar to `query` (normalized here), best first; equal scores in id order. */
  nearest(query: Float32Array, k: number): Array<{ id: number; score: number }> {
    const d = this.dims;
    if (query.length !== d) throw new Error(`query of ${query.length} dims for a ${d}-dim space`);
    const n = this.size;
    k = Math.max(0, Math.min(k, n));
    if (k === 0) return [];
    let norm = 0;
    for (let j = 0; j < d; j++) norm += query[j]! * query[j]!;
    if (norm === 0) return [];
    const q = new Float32Array(d);
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) q[j] = query[j]! * inv;
    // A min-heap of the best k (score, row), worst at the root: one comparison per row once full.
    const hs = new Float64Array(k);
    const hr = new Int32Array(k);
    let size = 0;
    const data = this.data;
    const ids = this.ids;
    // Worse = lower score, or the same score and a larger id (ties go to the smaller id).
    const worse = (sa: number, ra: number, sb: number, rb: number) => sa < sb || (sa === sb && ids[ra]! > ids[rb]!);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += data[o + j]! * q[j]!;
      if (size < k) {
        // Sift up.
        let i = size++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (!worse(s, r, hs[p]!, hr[p]!)) break;
          hs[i] = hs[p]!;
          hr[i] = hr[p]!;
          i = p;
        }
        hs[i] = s;
        hr[i] = r;
      } else if (worse(hs[0]!, hr[0]!, s, r)) {
        // Replace the root and sift down.
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= k) break;
          const c = l + 1 < k && worse(hs[l + 1]!, hr[l + 1]!, hs[l]!, hr[l]!) ? l + 1 : l;
          if (!worse(hs[c]!, hr[c]!, s, r)) break;
          hs[i] = hs[c]!;
          hr[i] = hr[c]!;
          i = c;
        }
        hs[i] = s;
        hr[i] = r;
      }
    }
    const out: Array<{ id: number; score: number }> = [];
    for (let i = 0; i < size; i++) out.push({ id: ids[hr[i]!]!, score: hs[i]! });
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
