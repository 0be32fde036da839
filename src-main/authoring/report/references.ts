import type Database from 'better-sqlite3';

/** A library passage cited by a document: used as reference by at least one accepted suggestion. */
export interface ReportReference {
  chunkId: number;
  doc: string;
  chunk: number;
  page: number | null;
  excerpt: string;
  /** sha256 of the text the model saw. */
  textSha256: string;
  uses: Array<{ suggestionId: string; generationId: number | null; operation: string; author: string }>;
}

interface Row {
  suggestion_id: string;
  generation_id: number | null;
  chunk_id: number;
  doc: string;
  chunk: number;
  page: number | null;
  excerpt: string;
  text_sha256: string;
  operation: string;
  author: string | null;
}

/**
 * The references of a document's provenance: the library passages its accepted suggestions' prompts
 * held (migration 0010's library_passage_uses), each once (by passage and text hash), in the order
 * they were first used. Rejected and pending suggestions put no text in the document, so they cite nothing.
 */
export function documentReferences(db: Database.Database, documentId: string): ReportReference[] {
  const rows = db
    .prepare(
      `SELECT u.suggestion_id, u.generation_id, u.chunk_id, u.doc, u.chunk, u.page, u.excerpt, u.text_sha256,
              s.operation, a.name AS author
       FROM library_passage_uses u
       JOIN suggestions s ON s.id = u.suggestion_id
       LEFT JOIN authors a ON a.id = s.author_id
       WHERE s.document_id = ? AND s.status = 'accepted'
       ORDER BY s.resolved_at, s.created_at, u.position`,
    )
    .all(documentId) as Row[];
  const out = new Map<string, ReportReference>();
  for (const r of rows) {
    const key = `${r.chunk_id}:${r.text_sha256}`;
    let ref = out.get(key);
    if (!ref) {
      ref = {
        chunkId: r.chunk_id,
        doc: r.doc,
        chunk: r.chunk,
        page: r.page,
        excerpt: r.excerpt,
        textSha256: r.text_sha256,
        uses: [],
      };
      out.set(key, ref);
    }
    ref.uses.push({
      suggestionId: r.suggestion_id,
      generationId: r.generation_id,
      operation: r.operation,
      author: r.author ?? 'unknown author',
    });
  }
  return [...out.values()];
}
