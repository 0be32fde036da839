import type Database from 'better-sqlite3';

/** One contribution: `author` wrote `inserted` at `start` (replacing `deleted`) by `operation`. */
export interface ContributionEvent {
  documentId: string;
  revision: number;
  authorId: string;
  operation: string;
  start: number;
  inserted: string;
  deleted: string;
  createdAt: number;
}

/**
 * Append-only log of who wrote which span. Batches go through one prepared statement inside one
 * transaction: model operations stream many small events, and per-event commits would cap the rate
 * at what the disk can fsync.
 */
export class ContributionLog {
  private readonly insert: Database.Statement;
  private readonly insertMany: (events: readonly ContributionEvent[]) => void;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO contribution_events (document_id, revision, author_id, operation, start, end, inserted, deleted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
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
    );
  }

  /** Appends many events atomically. */
  append(events: readonly ContributionEvent[]): void {
    this.insertMany(events);
  }
}
