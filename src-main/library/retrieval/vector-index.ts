import type Database from 'better-sqlite3';

/** The dense spaces the library keeps: one sqlite-vec table each (the dimension differs). */
export type VectorSpace = 'lsa' | 'gguf';

const TABLE: Record<VectorSpace, string> = { lsa: 'library_vec_lsa', gguf: 'library_vec_gguf' };
/** sqlite-vec's largest k for one KNN query. */
export const MAX_KNN = 4096;

/**
 * Chunk vectors in sqlite-vec `vec0` tables (cosine distance, chunk id as rowid: a BigInt for
 * the extension). The table is created on first use with the space's dimension and recreated
 * when the dimension changes (a refit with other dims, another embedding model).
 */
export class VectorIndex {
  constructor(private readonly db: Database.Database) {}

  /** Dimension of the space's table, or null when it has none. */
  dims(space: VectorSpace): number | null {
    const v = this.db.prepare(`SELECT value FROM library_settings WHERE key = ?`).pluck().get(`vec.${space}.dims`) as
      string | undefined;
    return v === undefined ? null : Number(v);
  }

  /** Makes an empty table of `dims` for the space (dropping the old one). Call inside a transaction. */
  reset(space: VectorSpace, dims: number): void {
    if (!Number.isInteger(dims) || dims < 1 || dims > 8192) throw new RangeError(`bad vector dimension ${dims}`);
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
    const del = this.db.prepare(`DELETE FROM ${TABLE[space]} WHERE rowid = ?`);
    const ins = this.db.prepare(`INSERT INTO ${TABLE[space]} (rowid, embedding) VALUES (?, ?)`);
    for (const { id, vector } of rows) {
      if (vector.length !== dims) throw new Error(`vector of ${vector.length} dims for a ${dims}-dim table`);
      del.run(BigInt(id));
      ins.run(BigInt(id), vector);
    }
  }

  remove(ids: readonly number[]): void {
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

  /** The k nearest chunks by cosine, nearest first, with similarity = 1 - distance. */
  nearest(space: VectorSpace, query: Float32Array, k: number): Array<{ id: number; score: number }> {
    const rows = this.db
      .prepare(`SELECT rowid AS id, distance FROM ${TABLE[space]} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
      .all(query, Math.min(MAX_KNN, Math.max(1, k))) as Array<{ id: number | bigint; distance: number }>;
    // Equal distances in id order, so results are deterministic.
    return rows
      .map((r) => ({ id: Number(r.id), score: 1 - r.distance }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
