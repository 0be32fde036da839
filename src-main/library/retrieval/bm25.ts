import type Database from 'better-sqlite3';
import type { Ranked } from './fusion';

/** Most distinct query terms sent to FTS5: a 100 KB query is cut to its first terms, not refused. */
export const MAX_QUERY_TERMS = 64;
/** bm25() column weights: chunk text, heading path. */
const WEIGHTS = '1.0, 0.6';
/** Words too common to help a BM25 OR query (they match most chunks and slow it down). */
const STOP = new Set(
  'a an and are as at be by for from has have in is it its of on or that the this to was were will with'.split(' '),
);

/**
 * The FTS5 MATCH expression for free text: its distinct terms, each quoted (so punctuation and
 * FTS5 operators in the query are plain text), joined with OR; null when nothing searchable is left.
 */
export function ftsQuery(text: string): string | null {
  const seen = new Set<string>();
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if (seen.size >= MAX_QUERY_TERMS) break;
    if (w.length > 60 || STOP.has(w)) continue;
    seen.add(w);
  }
  if (seen.size === 0) {
    // Only stop words ("to be or not to be"): search them after all.
    for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
      if (seen.size >= MAX_QUERY_TERMS) break;
      seen.add(m[0].slice(0, 60));
    }
  }
  if (seen.size === 0) return null;
  return [...seen].map((w) => `"${w}"`).join(' OR ');
}

export interface ChunkFilter {
  /** SQL over `c` (library_chunks) and `d` (library_documents), e.g. `d.folder = ?`. */
  where: string;
  params: unknown[];
}

/** BM25 (FTS5 bm25(), Porter-stemmed) top k, best first; score = -bm25 (higher is better). */
export function searchBm25(db: Database.Database, text: string, k: number, filter?: ChunkFilter): Ranked[] {
  const q = ftsQuery(text);
  if (!q) return [];
  const rows = filter
    ? db
        .prepare(
          `SELECT f.rowid AS id, bm25(library_chunks_fts, ${WEIGHTS}) AS s FROM library_chunks_fts f
             JOIN library_chunks c ON c.id = f.rowid JOIN library_documents d ON d.id = c.document_id
           WHERE library_chunks_fts MATCH ? AND ${filter.where} ORDER BY s, f.rowid LIMIT ?`,
        )
        .all(q, ...filter.params, k)
    : db
        .prepare(
          `SELECT rowid AS id, bm25(library_chunks_fts, ${WEIGHTS}) AS s FROM library_chunks_fts
           WHERE library_chunks_fts MATCH ? ORDER BY s, rowid LIMIT ?`,
        )
        .all(q, k);
  return (rows as Array<{ id: number; s: number }>).map((r) => ({ id: r.id, score: -r.s }));
}
