import type Database from 'better-sqlite3';
import { DenseMatrix } from './dense-matrix';

/** The dense spaces the library keeps: one sqlite-vec table each (the dimension differs). */
export type VectorSpace = 'lsa' | 'gguf';

const TABLE: Record<VectorSpace, string> = { lsa: 'library_vec_lsa', gguf: 'library_vec_gguf' };
/** sqlite-vec's largest k for one KNN query. */
export const MAX_KNN = 4096;

/**
 * Chunk vectors in sqlite-vec `vec0` tables (cosine distance, chunk id as rowid: a BigInt for
 * the extension). The table is created on first use with the space's dimension and recreated
 * when the dimension changes (a refit with other dims, another embedding model).
 *
 * Search scans an in-memory copy of a space (DenseMatrix), read lazily on the first search and
 * dropped on every write through this index, on `invalidate`, and when another connection has
 * committed (PRAGMA data_version moved). The tables stay the source of truth.
 */
export class VectorIndex {
  private readonly cache = new Map<VectorSpace, { generation: number; dataVersion: number; matrix: DenseMatrix }>();
  /** Bumped by every write through this index. */
  private generation = 0;

  constructor(private readonly db: Database.Database) {}

  /** Drops the in-memory copies (after writing a vector table directly, e.g. an LSA refit). */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
  }

  /** Dimension of the space's table, or null when it has none. */
  dims(space: VectorSpace): number | null {
    const v = this.db.prepare(`SELECT value FROM library_settings WHERE key = ?`).pluck().get(`vec.${space}.dims`) as
      string | undefined;
    return v === undefined ? null : Number(v);
  }

  /** Makes an empty table of `dims` for the space (dropping the old one). Call inside a transaction. */
  reset(space: VectorSpace, dims: number): void {
    if (!Number.isInteger(dims) || dims < 1 || dims > 8192) throw new RangeError(`bad vector dimension ${dims}`);
    this.invalidate();
    this.db.exec(`DROP TABLE IF EXISTS ${TABLE[space]}`);
    this.db.exec(`CREATE VIRTUAL TABLE ${TABLE[space]} USING vec0 (embedding float[${dims}] distance_metric=cosine)`);
    this.db
      .prepare(
        `INSERT INTO library_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(`vec.${space}.dims`, String(dims));
  }

  /** Inserts or replaces vectors (call inside a transaction for speed). */
  put(space: VectorSpace, rows: Iterable<{ id: number; vector: Float32Array }>): void {
    const dims = this.dims(space);
    if (dims === null) throw new Error(`no ${space} vector table`);
    this.invalidate();
    const del = this.db.prepare(`DELETE FROM ${TABLE[space]} WHERE rowid = ?`);
    const ins = this.db.prepare(`INSERT INTO ${TABLE[space]} (rowid, embedding) VALUES (?, ?)`);
    for (const { id, vector } of rows) {
      if (vector.length !== dims) throw new Error(`vector of ${vector.length} dims for a ${dims}-dim table`);
      del.run(BigInt(id));
      ins.run(BigInt(id), vector);
    }
  }

  remove(ids: readonly number[]): void {
    if (ids.length > 0) this.invalidate();
    for (const space of Object.keys(TABLE) as VectorSpace[]) {
      if (this.dims(space) === null) continue;
      const del = this.db.prepare(`DELETE FROM ${TABLE[space]} WHERE rowid = ?`);
      for (const id of ids) del.run(BigInt(id));
    }
  }

  count(space: VectorSpace): number {
    if (this.dims(space) === null) return 0;
    return this.db.prepare(`SELECT count(*) FROM ${TABLE[space]}`).pluck().get() as number;
  }

  /** The k nearest chunks by cosine, nearest first, with similarity = 1 - distance; equal ones in id order. */
  nearest(space: VectorSpace, query: Float32Array, k: number): Array<{ id: number; score: number }> {
    // Inside a transaction the tables may hold writes that could still roll back: scan them, cache nothing.
    if (this.db.inTransaction) return this.nearestInSql(space, query, k);
    const matrix = this.matrix(space);
    return matrix ? matrix.nearest(query, Math.max(1, k)) : [];
  }

  /**
   * The query moved toward feedback passages (Rocchio, 1971): q̂ + β · mean of their unit vectors,
   * the passages BM25 ranked first (pseudo-relevance feedback). Short queries carry few terms for
   * LSA to place; the passages they match lexically say what they are about. Unknown ids are skipped.
   */
  withFeedback(space: VectorSpace, query: Float32Array, feedback: readonly number[], beta: number): Float32Array {
    const matrix = feedback.length > 0 && beta > 0 && !this.db.inTransaction ? this.matrix(space) : null;
    if (!matrix || matrix.dims !== query.length) return query;
    const vecs = feedback.map((id) => matrix.vector(id)).filter((v): v is Float32Array => v !== null);
    if (vecs.length === 0) return query;
    let norm = 0;
    for (let j = 0; j < query.length; j++) norm += query[j]! * query[j]!;
    const out = new Float32Array(query.length);
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < query.length; j++) out[j] = query[j]! * inv;
    const w = beta / vecs.length;
    for (const v of vecs) for (let j = 0; j < out.length; j++) out[j]! += w * v[j]!;
    return out;
  }

  /** The space's vectors in memory (read now when the copy is missing or out of date); null without a table. */
  matrix(space: VectorSpace): DenseMatrix | null {
    const dims = this.dims(space);
    if (dims === null) return null;
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    const hit = this.cache.get(space);
    if (hit && hit.generation === this.generation && hit.dataVersion === dataVersion && hit.matrix.dims === dims)
      return hit.matrix;
    const count = this.count(space);
    const rows = this.db.prepare(`SELECT rowid AS id, embedding FROM ${TABLE[space]}`).iterate() as IterableIterator<{
      id: number | bigint;
      embedding: Buffer;
    }>;
    const vectors = (function* () {
      for (const r of rows) {
        // Copied into an aligned buffer: a blob's byte offset need not be a multiple of 4.
        const bytes = new Uint8Array(r.embedding);
        yield { id: Number(r.id), vector: new Float32Array(bytes.buffer, 0, bytes.byteLength / 4) };
      }
    })();
    const matrix = DenseMatrix.from(dims, vectors, count);
    this.cache.set(space, { generation: this.generation, dataVersion, matrix });
    return matrix;
  }

  private nearestInSql(space: VectorSpace, query: Float32Array, k: number): Array<{ id: number; score: number }> {
    if (this.dims(space) === null) return [];
    const rows = this.db
      .prepare(`SELECT rowid AS id, distance FROM ${TABLE[space]} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
      .all(query, Math.min(MAX_KNN, Math.max(1, k))) as Array<{ id: number | bigint; distance: number }>;
    return rows
      .map((r) => ({ id: Number(r.id), score: 1 - r.distance }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
