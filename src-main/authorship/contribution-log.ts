import type Database from 'better-sqlite3';
import type { ContributionOperation } from './common/operations';

/** One contribution: `author` wrote `inserted` at `start` (replacing `deleted`) by `operation`. */
export interface ContributionEvent {
  documentId: string;
  revision: number;
  authorId: string;
  /** A ContributionOperation; other strings are kept as given (events from newer versions). */
  operation: ContributionOperation | (string & {});
  start: number;
  inserted: string;
  deleted: string;
  createdAt: number;
  /**
   * The `generations` row that produced the text, for model-written events. Becomes null when
   * that row is deleted; the event itself stays.
   */
  generationId?: number | null;
}

/** A stored event, with its row id. */
export interface StoredContributionEvent extends ContributionEvent {
  id: number;
  generationId: number | null;
}

interface EventRow {
  id: number;
  document_id: string;
  revision: number;
  author_id: string;
  operation: string;
  start: number;
  inserted: string;
  deleted: string;
  created_at: number;
  generation_id: number | null;
}

/**
 * Append-only log of who wrote which span. Batches go through one prepared statement inside one
 * transaction: model operations stream many small events, and per-event commits would cap the rate
 * at what the disk can fsync.
 */
export class ContributionLog {
  private readonly insert: Database.Statement;
  private readonly selectDoc: Database.Statement;
  private readonly insertMany: (events: readonly ContributionEvent[]) => void;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO contribution_events (document_id, revision, author_id, operation, start, end, inserted, deleted, created_at, generation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectDoc = db.prepare(
      'SELECT id, document_id, revision, author_id, operation, start, inserted, deleted, created_at, generation_id FROM contribution_events WHERE document_id = ? ORDER BY id',
    );
    this.insertMany = db.transaction((events: readonly ContributionEvent[]) => {
      for (const e of events) this.appendOne(e);
    });
  }

  /** Appends one event (joins the caller's transaction if there is one). */
  appendOne(e: ContributionEvent): void {
    this.insert.run(
      e.documentId,
      e.revision,
      e.authorId,
      e.operation,
      e.start,
      e.start + e.inserted.length,
      e.inserted,
      e.deleted,
      e.createdAt,
      e.generationId ?? null,
    );
  }

  /** Appends many events atomically. */
  append(events: readonly ContributionEvent[]): void {
    this.insertMany(events);
  }

  /** A document's events in the order they happened. */
  forDocument(documentId: string): StoredContributionEvent[] {
    return (this.selectDoc.all(documentId) as EventRow[]).map((r) => ({
      id: r.id,
      documentId: r.document_id,
      revision: r.revision,
      authorId: r.author_id,
      operation: r.operation,
      start: r.start,
      inserted: r.inserted,
      deleted: r.deleted,
      createdAt: r.created_at,
      generationId: r.generation_id,
    }));
  }
}
