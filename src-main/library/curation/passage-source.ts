import type Database from 'better-sqlite3';
import type { Passage } from '../common/contract';
import { LibraryStore, toPassage, type ChunkRow } from '../library-store';

const SELECT = `SELECT c.id, c.document_id, d.file_name, c.ord, c.text, c.page, c.start_at, c.end_at, c.heading
  FROM library_chunks c JOIN library_documents d ON d.id = c.document_id`;

/**
 * Reads passages of the index (migration 0009's library_chunks) for curation: the curated ones in
 * bulk (the reranker's features), and a document's by file name (`library curate` lines name files).
 */
export class PassageSource {
  private readonly store: LibraryStore;

  constructor(private readonly db: Database.Database) {
    this.store = new LibraryStore(db);
  }

  /** The passages that still exist among `ids`, in the order asked. */
  byIds(ids: readonly number[]): Passage[] {
    const rows = this.store.chunks(ids);
    return ids.flatMap((id) => {
      const r = rows.get(id);
      return r ? [toPassage(r)] : [];
    });
  }

  /** Documents with this source file name (several folders may hold the same name), newest first. */
  documentsNamed(fileName: string): Array<{ id: string; chunks: number }> {
    return this.db
      .prepare(
        `SELECT d.id, (SELECT COUNT(*) FROM library_chunks c WHERE c.document_id = d.id) AS chunks
         FROM library_documents d WHERE d.file_name = ? ORDER BY d.updated_at DESC, d.id`,
      )
      .all(fileName) as Array<{ id: string; chunks: number }>;
  }

  /** A document's passages, in order. */
  ofDocument(documentId: string): Passage[] {
    return (this.db.prepare(`${SELECT} WHERE c.document_id = ? ORDER BY c.ord`).all(documentId) as ChunkRow[]).map(
      toPassage,
    );
  }

  /** Whether a word occurs in some passage (the FTS5 index, Porter-stemmed: "tariffs" finds "tariff"). */
  inVocabulary(word: string): boolean {
    const w = word.trim();
    if (!w || w.length > 64) return false;
    try {
      return (
        this.db
          .prepare(`SELECT 1 FROM library_chunks_fts WHERE library_chunks_fts MATCH ? LIMIT 1`)
          .get(`"${w.replace(/"/gu, '""')}"`) !== undefined
      );
    } catch {
      // A word FTS5 cannot take as a term (or no index yet): not in the vocabulary.
      return false;
    }
  }
}
