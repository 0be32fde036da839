import type Database from 'better-sqlite3';
import { AppError } from '../../core/app-error';
import type { CurationAction, CurationEvent, Retriever } from '../common/contract';
import { foldCuration, type PassageCuration } from './curation-state';

/** The passage an event is about, as the index knows it at the time. */
export interface CuratedPassageRef {
  chunkId: number;
  documentId: string;
  doc: string;
  chunk: number;
}

export interface NewCurationEvent {
  query: string;
  action: CurationAction;
  passage: CuratedPassageRef | null;
  rank?: number | null;
  retriever?: Retriever | null;
  value?: string | number | null;
  /** Epoch ms; default now (imports of an older log keep their times). */
  at?: number;
}

interface EventRow {
  id: number;
  at: number;
  query: string;
  action: CurationAction;
  chunk_id: number | null;
  document_id: string | null;
  doc: string | null;
  chunk: number | null;
  rank: number | null;
  retriever: Retriever | null;
  value: string | null;
}

/** Longest query or rewrite kept in the log (the search input allows 200,000; a log line needs less). */
export const MAX_LOGGED_QUERY_CHARS = 10_000;

/**
 * The curation log (SymbioticRAG Level 1): every pin, unpin, exclude, unexclude, rating, query
 * rewrite and opened passage, with the query, passage, rank and retriever it came from. Append
 * only; the current state of each passage is derived from it. The log is the user's data:
 * `exportJsonl` writes all of it.
 */
export class CurationLog {
  private version = -1;
  private cached: Map<number, PassageCuration> | null = null;

  constructor(private readonly db: Database.Database) {}

  /**
   * Appends one event (several in one transaction with `recordMany`).
   * @throws AppError bad_request for an event that cannot be right (a pin without a passage, a
   * rating outside 1..5, a rewrite without its new query).
   */
  record(e: NewCurationEvent): CurationEvent {
    return this.recordMany([e])[0]!;
  }

  recordMany(events: readonly NewCurationEvent[]): CurationEvent[] {
    for (const e of events) checkEvent(e);
    const insert = this.db.prepare(
      `INSERT INTO library_curation_events (at, query, action, chunk_id, document_id, doc, chunk, rank, retriever, value)
       VALUES (@at, @query, @action, @chunkId, @documentId, @doc, @chunk, @rank, @retriever, @value)`,
    );
    const ids = this.db.transaction(() =>
      events.map(
        (e) =>
          insert.run({
            at: e.at ?? Date.now(),
            query: e.query.slice(0, MAX_LOGGED_QUERY_CHARS),
            action: e.action,
            chunkId: e.passage?.chunkId ?? null,
            documentId: e.passage?.documentId ?? null,
            doc: e.passage?.doc ?? null,
            chunk: e.passage?.chunk ?? null,
            rank: e.rank ?? null,
            retriever: e.retriever ?? null,
            value:
              e.value === undefined || e.value === null
                ? null
                : JSON.stringify(typeof e.value === 'string' ? e.value.slice(0, MAX_LOGGED_QUERY_CHARS) : e.value),
          }).lastInsertRowid,
      ),
    )();
    const rows = this.db
      .prepare(`SELECT * FROM library_curation_events WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`)
      .all(...ids) as EventRow[];
    return rows.map(toEvent);
  }

  /** Newest first, `limit` (default 100) from `offset`; `total` counts the whole log. */
  list(options: { limit?: number; offset?: number } = {}): { events: CurationEvent[]; total: number } {
    const rows = this.db
      .prepare(`SELECT * FROM library_curation_events ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(options.limit ?? 100, options.offset ?? 0) as EventRow[];
    return { events: rows.map(toEvent), total: this.count() };
  }

  /** Every event, oldest first. */
  all(): CurationEvent[] {
    return (this.db.prepare(`SELECT * FROM library_curation_events ORDER BY id`).all() as EventRow[]).map(toEvent);
  }

  count(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM library_curation_events`).get() as { n: number }).n;
  }

  /** Id of the newest event (0 for an empty log): what a model fitted on the log is keyed by. */
  lastId(): number {
    return (this.db.prepare(`SELECT COALESCE(MAX(id), 0) AS id FROM library_curation_events`).get() as { id: number })
      .id;
  }

  /** The current state of every passage the log touched (cached until the next event). */
  state(): ReadonlyMap<number, PassageCuration> {
    const v = this.lastId();
    if (!this.cached || v !== this.version) {
      this.cached = foldCuration(this.all());
      this.version = v;
    }
    return this.cached;
  }

  /** Deletes the whole log (the writer starting over; the evaluation between its two folds). Returns how many events went. */
  clear(): number {
    return this.db.prepare(`DELETE FROM library_curation_events`).run().changes;
  }

  /** The whole log as JSONL, one event a line, oldest first (the same fields as CurationEvent). */
  exportJsonl(): { fileName: string; content: string; events: number } {
    const events = this.all();
    const content = events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : '');
    const day = new Date().toISOString().slice(0, 10);
    return { fileName: `palimpsest-curation-${day}.jsonl`, content, events: events.length };
  }
}

function checkEvent(e: NewCurationEvent): void {
  const needsPassage = e.action !== 'rewrite';
  if (needsPassage && !e.passage)
    throw new AppError('bad_request', `A ${e.action} needs the passage it is about.`, { action: e.action });
  if (e.action === 'rate') {
    if (typeof e.value !== 'number' || !Number.isInteger(e.value) || e.value < 1 || e.value > 5)
      throw new AppError('bad_request', 'A rating is a whole number from 1 to 5.', { value: e.value ?? null });
  }
  if (e.action === 'rewrite' && (typeof e.value !== 'string' || !e.value.trim()))
    throw new AppError('bad_request', 'A query rewrite needs the new query as its value.');
}

function toEvent(r: EventRow): CurationEvent {
  return {
    id: r.id,
    at: r.at,
    query: r.query,
    action: r.action,
    chunkId: r.chunk_id,
    doc: r.doc,
    chunk: r.chunk,
    rank: r.rank,
    retriever: r.retriever,
    value: r.value === null ? null : (JSON.parse(r.value) as string | number),
  };
}
