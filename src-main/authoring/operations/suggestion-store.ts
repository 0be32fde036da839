import type Database from 'better-sqlite3';
import { AppError } from '../../core/app-error';
import { newId } from '../../store/ids';
import type { UsedPassage } from './reference-passages';
import type { SuggestErrorCode, Suggestion, SuggestionStatus, SuggestOperation } from './suggestion-types';

interface SuggestionRow {
  id: string;
  document_id: string;
  author_id: string;
  operation: SuggestOperation;
  instruction: string | null;
  from_offset: number;
  to_offset: number;
  original: string;
  text: string;
  context: string;
  generation_id: number | null;
  status: SuggestionStatus;
  error_code: SuggestErrorCode | null;
  error_message: string | null;
  final_text: string | null;
  created_at: number;
  resolved_at: number | null;
}

export type NewSuggestion = Omit<Suggestion, 'id' | 'createdAt' | 'resolvedAt' | 'finalText'>;

interface PassageUseRow {
  chunk_id: number;
  document_id: string;
  doc: string;
  chunk: number;
  page: number | null;
  text_sha256: string;
  excerpt: string;
  words: number;
  cut: number;
}

/** The `suggestions` table (migration 0007): synchronous, one statement per write. */
export class SuggestionStore {
  constructor(private readonly db: Database.Database) {}

  /** Records a finished offer (pending) or a failed one, with the library passages it used; returns it with its new id. */
  insert(s: NewSuggestion): Suggestion {
    const id = newId('sug');
    const { passages, ...row } = s;
    const usePassage = this.db.prepare(
      `INSERT INTO library_passage_uses (suggestion_id, generation_id, position, chunk_id, document_id, doc, chunk, page,
         text_sha256, excerpt, words, cut)
       VALUES (@suggestionId, @generationId, @position, @chunkId, @documentId, @doc, @chunk, @page, @textSha256,
         @excerpt, @words, @cut)`,
    );
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO suggestions (id, document_id, author_id, operation, instruction, from_offset, to_offset, original,
           text, context, generation_id, status, error_code, error_message, created_at)
         VALUES (@id, @documentId, @authorId, @operation, @instruction, @from, @to, @original,
           @text, @context, @generationId, @status, @errorCode, @errorMessage, @createdAt)`,
        )
        .run({ ...row, id, createdAt: Date.now() });
      passages.forEach((u, position) =>
        usePassage.run({ ...u, suggestionId: id, generationId: s.generationId, position, cut: u.cut ? 1 : 0 }),
      );
    })();
    return this.get(s.documentId, id);
  }

  /** The library passages a suggestion's prompt held, in prompt order. */
  passages(suggestionId: string): UsedPassage[] {
    const rows = this.db
      .prepare(
        `SELECT chunk_id, document_id, doc, chunk, page, text_sha256, excerpt, words, cut FROM library_passage_uses
         WHERE suggestion_id = ? ORDER BY position`,
      )
      .all(suggestionId) as PassageUseRow[];
    return rows.map((r) => ({
      chunkId: r.chunk_id,
      documentId: r.document_id,
      doc: r.doc,
      chunk: r.chunk,
      page: r.page,
      textSha256: r.text_sha256,
      excerpt: r.excerpt,
      words: r.words,
      cut: r.cut === 1,
    }));
  }

  /** Throws AppError not_found when the suggestion is not this document's. */
  get(documentId: string, id: string): Suggestion {
    const row = this.db.prepare(`SELECT * FROM suggestions WHERE id = ? AND document_id = ?`).get(id, documentId) as
      SuggestionRow | undefined;
    if (!row) throw new AppError('not_found', `There is no suggestion ${id} in this document.`, { id, documentId });
    return toSuggestion(row, this.passages(row.id));
  }

  /** A document's suggestions, oldest first (optionally only those with one status). */
  list(documentId: string, status?: SuggestionStatus): Suggestion[] {
    const rows = (
      status
        ? this.db
            .prepare(`SELECT * FROM suggestions WHERE document_id = ? AND status = ? ORDER BY created_at, rowid`)
            .all(documentId, status)
        : this.db.prepare(`SELECT * FROM suggestions WHERE document_id = ? ORDER BY created_at, rowid`).all(documentId)
    ) as SuggestionRow[];
    return rows.map((r) => toSuggestion(r, this.passages(r.id)));
  }

  /**
   * Moves a pending suggestion to accepted or rejected. Returns false when it was no longer pending
   * (resolved meanwhile by another window), so callers can roll back.
   */
  resolve(id: string, status: 'accepted' | 'rejected', finalText: string | null): boolean {
    const info = this.db
      .prepare(`UPDATE suggestions SET status = ?, final_text = ?, resolved_at = ? WHERE id = ? AND status = 'pending'`)
      .run(status, finalText, Date.now(), id);
    return info.changes === 1;
  }
}

function toSuggestion(r: SuggestionRow, passages: UsedPassage[]): Suggestion {
  return {
    id: r.id,
    documentId: r.document_id,
    authorId: r.author_id,
    operation: r.operation,
    instruction: r.instruction,
    from: r.from_offset,
    to: r.to_offset,
    original: r.original,
    text: r.text,
    context: r.context,
    passages,
    generationId: r.generation_id,
    status: r.status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    finalText: r.final_text,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  };
}
