import type Database from 'better-sqlite3';
import { deserializeLsa, embedLsa, fitLsa, serializeLsa, type LsaModel } from './lsa';
import type { VectorIndex } from './vector-index';

/** Chunks the LSA fit reads at most (an evenly spaced sample beyond that): bounds the fit to seconds. */
export const LSA_FIT_SAMPLE = 10_000;
/** Below this many chunks any change refits (a fit takes well under a second). */
export const LSA_SMALL_LIBRARY = 5_000;
/** Above it, a refit waits until the chunk count has changed by this fraction since the last fit. */
export const LSA_REFIT_CHANGE = 0.2;

interface LsaRow {
  dims: number;
  vocab: string;
  idf: Buffer;
  proj: Buffer;
  fitted_at: number;
  chunks_at_fit: number;
}

/**
 * The library's LSA space: the fitted model (cached), the refit rule, and chunk vectors in the
 * `lsa` vector table. New chunks between refits are folded into the current model (terms it has
 * never seen are ignored until the next refit).
 *
 * Refit rule: after an add or a removal, refit when there is no model, when the library has fewer
 * than LSA_SMALL_LIBRARY chunks and changed at all, or when the chunk count moved by more than
 * LSA_REFIT_CHANGE of the count at the last fit.
 */
export class LsaIndex {
  private cached: { fittedAt: number; model: LsaModel } | null = null;
  /** Chunks added or removed since the last fit (this process; the count check covers the rest). */
  private changedSinceFit = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly vectors: VectorIndex,
    private readonly dims: number,
  ) {}

  info(): { dims: number; fittedAt: number | null; chunksAtFit: number } {
    const r = this.db.prepare(`SELECT dims, fitted_at, chunks_at_fit FROM library_lsa WHERE id = 1`).get() as
      Pick<LsaRow, 'dims' | 'fitted_at' | 'chunks_at_fit'> | undefined;
    return r
      ? { dims: r.dims, fittedAt: r.fitted_at, chunksAtFit: r.chunks_at_fit }
      : { dims: this.dims, fittedAt: null, chunksAtFit: 0 };
  }

  model(): LsaModel | null {
    const info = this.info();
    if (info.fittedAt === null) return null;
    if (this.cached?.fittedAt === info.fittedAt) return this.cached.model;
    const r = this.db.prepare(`SELECT * FROM library_lsa WHERE id = 1`).get() as LsaRow;
    this.cached = { fittedAt: r.fitted_at, model: deserializeLsa(r.dims, r.vocab, r.idf, r.proj) };
    return this.cached.model;
  }

  /** Whether the refit rule asks for a refit now. */
  stale(chunks: number): boolean {
    const info = this.info();
    if (chunks === 0) return false;
    if (info.fittedAt === null || this.vectors.dims('lsa') === null) return true;
    const changed = Math.max(this.changedSinceFit, Math.abs(chunks - info.chunksAtFit));
    if (changed === 0) return false;
    return chunks < LSA_SMALL_LIBRARY || changed > info.chunksAtFit * LSA_REFIT_CHANGE;
  }

  noteChanged(n: number): void {
    this.changedSinceFit += n;
  }

  /** Folds chunks into the current model's space (no-op before the first fit). Call inside a transaction. */
  embedChunks(chunks: ReadonlyArray<{ id: number; text: string }>): void {
    const model = this.model();
    if (!model || this.vectors.dims('lsa') !== model.dims) return;
    this.vectors.put(
      'lsa',
      chunks.map((c) => ({ id: c.id, vector: embedLsa(model, c.text) })),
    );
  }

  embedQuery(text: string): Float32Array | null {
    const model = this.model();
    return model ? embedLsa(model, text) : null;
  }

  /** Fits on (a sample of) all chunks and re-embeds every chunk, in one transaction. */
  refit(): { chunks: number; dims: number } {
    const total = this.db.prepare(`SELECT count(*) FROM library_chunks`).pluck().get() as number;
    if (total === 0) {
      this.db.transaction(() => {
        this.db.prepare(`DELETE FROM library_lsa`).run();
        this.db.exec(`DROP TABLE IF EXISTS library_vec_lsa`);
        this.db.prepare(`DELETE FROM library_settings WHERE key = 'vec.lsa.dims'`).run();
      })();
      this.cached = null;
      this.changedSinceFit = 0;
      return { chunks: 0, dims: 0 };
    }
    const step = Math.max(1, Math.ceil(total / LSA_FIT_SAMPLE));
    const sample = this.db
      .prepare(
        `SELECT coalesce(heading, '') || ' ' || text FROM library_chunks WHERE (id % ?) = 0 OR ? = 1 ORDER BY id`,
      )
      .pluck()
      .all(step, step) as string[];
    const model = fitLsa(
      sample.length >= 2 ? sample : (this.db.prepare(`SELECT text FROM library_chunks`).pluck().all() as string[]),
      {
        dims: this.dims,
      },
    );
    const fittedAt = Date.now();
    const s = serializeLsa(model);
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO library_lsa (id, dims, vocab, idf, proj, fitted_at, chunks_at_fit) VALUES (1, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET dims = excluded.dims, vocab = excluded.vocab, idf = excluded.idf,
             proj = excluded.proj, fitted_at = excluded.fitted_at, chunks_at_fit = excluded.chunks_at_fit`,
        )
        .run(model.dims, s.vocab, s.idf, s.proj, fittedAt, total);
      this.vectors.reset('lsa', model.dims);
      const ins = this.db.prepare(`INSERT INTO library_vec_lsa (rowid, embedding) VALUES (?, ?)`);
      // In pages: better-sqlite3 cannot write while a read iterator is open on the same connection.
      const page = this.db.prepare(
        `SELECT id, coalesce(heading, '') || ' ' || text AS text FROM library_chunks WHERE id > ? ORDER BY id LIMIT 2000`,
      );
      for (let after = 0; ;) {
        const rows = page.all(after) as Array<{ id: number; text: string }>;
        if (rows.length === 0) break;
        for (const r of rows) ins.run(BigInt(r.id), embedLsa(model, r.text));
        after = rows.at(-1)!.id;
      }
    })();
    // The vectors were written straight into the table: the in-memory copy must be read again.
    this.vectors.invalidate();
    this.cached = { fittedAt, model };
    this.changedSinceFit = 0;
    return { chunks: total, dims: model.dims };
  }
}
