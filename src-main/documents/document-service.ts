import type Database from 'better-sqlite3';
import { AppError, notFound } from '../core/app-error';
import { Emitter } from '../core/events';
import type { JobRecord, JobRunner } from '../jobs';
import { newId } from '../store/ids';
import { ContributionLog } from '../authorship/contribution-log';
import { HUMAN_AUTHOR_ID, type HumanOperation } from '../authorship/common';
import { textLooksBinary } from './common/binary-text';
import { MAX_BODY_CHARS } from './common/limits';
import { normaliseLineEnds } from './common/text-import';
import { startImport } from './start-import';
import { diffSingleRegion } from './text-diff';

export interface DocumentSummary {
  id: string;
  title: string;
  snippet: string;
  wordCount: number;
  updatedAt: number;
  deletedAt: number | null;
}

export interface DocumentRecord {
  id: string;
  title: string;
  body: string;
  revision: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

export interface RevisionSummary {
  number: number;
  authorId: string;
  createdAt: number;
  length: number;
}

/** How text entered the document; recorded on each contribution event. */
export type EditOperation = HumanOperation | (string & {});

export interface UpdateBodyInput {
  id: string;
  body: string;
  /** The revision the client edited; a different current revision is a conflict (409). */
  baseRevision: number;
  operation?: EditOperation;
  authorId?: string;
}

export { MAX_BODY_CHARS };
/** Consecutive saves by one author within this window update one revision instead of adding one. */
const REVISION_COALESCE_MS = 120_000;
/** Deleted documents stay restorable (undo) this long. */
const TRASH_RETENTION_MS = 30 * 24 * 3600_000;

interface DocRow {
  id: string;
  title: string;
  body: string;
  revision: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

/** Documents with autosaved revisions and a contribution log of who wrote which span. */
export class DocumentService {
  private readonly changed = new Emitter<{ id: string; kind: 'created' | 'updated' | 'deleted' | 'restored' }>();
  /** Fires after any document change is committed. */
  readonly onDidChangeDocument = this.changed.event;

  /** Tells listeners a document changed through another capability (edit batches from authoring). */
  notifyChanged(id: string): void {
    this.changed.fire({ id, kind: 'updated' });
  }

  /** The contribution log; authoring operations append to it directly. */
  readonly contributions: ContributionLog;

  constructor(
    private readonly db: Database.Database,
    /** Runs imports; without it `importFiles` is unavailable (benchmarks, tests of editing). */
    private readonly jobs?: JobRunner,
  ) {
    this.contributions = new ContributionLog(db);
    this.db
      .prepare('DELETE FROM documents WHERE deleted_at IS NOT NULL AND deleted_at < ?')
      .run(Date.now() - TRASH_RETENTION_MS);
  }

  list(options: { query?: string; trash?: boolean; limit?: number } = {}): DocumentSummary[] {
    const q = options.query?.trim();
    const params: unknown[] = [];
    let where = options.trash ? 'deleted_at IS NOT NULL' : 'deleted_at IS NULL';
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      where += ` AND (title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')`;
      params.push(like, like);
    }
    params.push(options.limit ?? 500);
    const rows = this.db
      .prepare(
        `SELECT id, title, substr(body, 1, 400) AS head, word_count AS words, updated_at, deleted_at
         FROM documents WHERE ${where} ORDER BY updated_at DESC LIMIT ?`,
      )
      .all(...params) as Array<{
      id: string;
      title: string;
      head: string;
      words: number;
      updated_at: number;
      deleted_at: number | null;
    }>;
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      snippet: snippetAround(r.head, q),
      wordCount: r.words,
      updatedAt: r.updated_at,
      deletedAt: r.deleted_at,
    }));
  }

  get(id: string): DocumentRecord {
    const row = this.db.prepare('SELECT * FROM documents WHERE id = ?').get(id) as DocRow | undefined;
    if (!row) throw notFound('Document', id);
    return toRecord(row);
  }

  create(input: { title?: string; body?: string; operation?: EditOperation; authorId?: string } = {}): DocumentRecord {
    const id = newId('doc');
    // Line ends are normalised here as the file import does: a piped or pasted CRLF text is the same document.
    const body = checkBody(normaliseLineEnds(input.body ?? ''));
    const title = cleanTitle(input.title) || 'Untitled';
    const now = Date.now();
    const author = input.authorId ?? HUMAN_AUTHOR_ID;
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO documents (id, title, body, word_count, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, 1)',
        )
        .run(id, title, body, countWords(body), now, now);
      this.db
        .prepare('INSERT INTO revisions (document_id, number, body, author_id, created_at) VALUES (?, 1, ?, ?, ?)')
        .run(id, body, author, now);
      if (body) this.logEvent(id, 1, author, input.operation ?? 'import', 0, '', body, now);
    })();
    this.changed.fire({ id, kind: 'created' });
    return this.get(id);
  }

  /**
   * Starts importing .txt/.md files, or every such file directly inside one folder, as a resumable
   * background job (`documents.import`). Paths are absolute. A missing path, or a single file that
   * cannot be imported, fails here before anything is queued; other bad files are skipped and
   * listed in the job's result.
   */
  importFiles(paths: readonly string[]): JobRecord {
    if (!this.jobs) throw new TypeError('This DocumentService was created without a job runner.');
    return startImport(this.jobs, paths);
  }

  rename(id: string, title: string): DocumentRecord {
    const clean = cleanTitle(title);
    if (!clean) throw new AppError('bad_request', 'A title cannot be empty.');
    const res = this.db
      .prepare('UPDATE documents SET title = ?, updated_at = ? WHERE id = ?')
      .run(clean, Date.now(), id);
    if (res.changes === 0) throw notFound('Document', id);
    this.changed.fire({ id, kind: 'updated' });
    return this.get(id);
  }

  /**
   * Saves a new body. The change is logged as a contribution event (who, which operation, which
   * span) and kept as a revision; saves by the same author within two minutes share a revision.
   * A restore is always a revision of its own, and later edits never overwrite it, so the text it
   * replaced stays in the history.
   */
  updateBody(input: UpdateBodyInput): DocumentRecord {
    const body = checkBody(input.body);
    const author = input.authorId ?? HUMAN_AUTHOR_ID;
    const result = this.db
      .transaction(() => {
        const doc = this.get(input.id);
        if (doc.deletedAt) throw new AppError('conflict', 'This document is in the trash; restore it first.');
        if (doc.revision !== input.baseRevision) {
          throw new AppError(
            'conflict',
            'The document changed elsewhere since you opened it. Reload to see the latest text.',
            {
              currentRevision: doc.revision,
            },
          );
        }
        const change = diffSingleRegion(doc.body, body);
        if (!change) return doc;
        const now = Date.now();
        const last = this.db
          .prepare(
            'SELECT number, author_id, created_at FROM revisions WHERE document_id = ? ORDER BY number DESC LIMIT 1',
          )
          .get(input.id) as { number: number; author_id: string; created_at: number } | undefined;
        const operation = input.operation ?? 'type';
        let number: number;
        if (
          operation !== 'restore' &&
          last &&
          last.author_id === author &&
          now - last.created_at < REVISION_COALESCE_MS &&
          last.number > 1 &&
          !this.isRestoreRevision(input.id, last.number)
        ) {
          number = last.number;
          this.db
            .prepare('UPDATE revisions SET body = ? WHERE document_id = ? AND number = ?')
            .run(body, input.id, number);
        } else {
          number = (last?.number ?? 0) + 1;
          this.db
            .prepare('INSERT INTO revisions (document_id, number, body, author_id, created_at) VALUES (?, ?, ?, ?, ?)')
            .run(input.id, number, body, author, now);
        }
        this.logEvent(input.id, number, author, operation, change.start, change.deleted, change.inserted, now);
        this.db
          .prepare(
            'UPDATE documents SET body = ?, word_count = ?, updated_at = ?, revision = revision + 1 WHERE id = ?',
          )
          .run(body, countWords(body), now, input.id);
        return this.get(input.id);
      })
      .immediate();
    this.changed.fire({ id: input.id, kind: 'updated' });
    return result;
  }

  /** Moves a document to the trash; `restore` undoes it. */
  delete(id: string): DocumentRecord {
    const res = this.db
      .prepare('UPDATE documents SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(Date.now(), id);
    if (res.changes === 0) this.get(id); // throws not_found for unknown ids; already-deleted is a no-op
    this.changed.fire({ id, kind: 'deleted' });
    return this.get(id);
  }

  restore(id: string): DocumentRecord {
    const res = this.db.prepare('UPDATE documents SET deleted_at = NULL WHERE id = ?').run(id);
    if (res.changes === 0) throw notFound('Document', id);
    this.changed.fire({ id, kind: 'restored' });
    return this.get(id);
  }

  revisions(id: string): RevisionSummary[] {
    this.get(id);
    return (
      this.db
        .prepare(
          'SELECT number, author_id, created_at, length(body) AS length FROM revisions WHERE document_id = ? ORDER BY number DESC',
        )
        .all(id) as Array<{ number: number; author_id: string; created_at: number; length: number }>
    ).map((r) => ({ number: r.number, authorId: r.author_id, createdAt: r.created_at, length: r.length }));
  }

  /** One revision's full text. */
  revision(id: string, number: number): RevisionSummary & { body: string } {
    const row = this.db
      .prepare('SELECT number, author_id, created_at, body FROM revisions WHERE document_id = ? AND number = ?')
      .get(id, number) as { number: number; author_id: string; created_at: number; body: string } | undefined;
    if (!row) throw notFound('Revision', `${id}#${number}`);
    return {
      number: row.number,
      authorId: row.author_id,
      createdAt: row.created_at,
      length: row.body.length,
      body: row.body,
    };
  }

  /** Brings back an earlier revision's text as a new change (logged as operation `restore`). */
  restoreRevision(id: string, number: number, baseRevision: number): DocumentRecord {
    const old = this.revision(id, number);
    return this.updateBody({ id, body: old.body, baseRevision, operation: 'restore' });
  }

  /** Share of the current text per author, replayed from the contribution log. */
  authorship(id: string): Array<{ authorId: string; chars: number }> {
    const doc = this.get(id);
    const owners: string[] = [];
    const events = this.db
      .prepare('SELECT author_id, start, deleted, inserted FROM contribution_events WHERE document_id = ? ORDER BY id')
      .iterate(id) as IterableIterator<{ author_id: string; start: number; deleted: string; inserted: string }>;
    for (const e of events)
      owners.splice(e.start, e.deleted.length, ...Array<string>(e.inserted.length).fill(e.author_id));
    const counts = new Map<string, number>();
    for (const o of owners.slice(0, doc.body.length)) counts.set(o, (counts.get(o) ?? 0) + 1);
    return [...counts].map(([authorId, chars]) => ({ authorId, chars })).sort((a, b) => b.chars - a.chars);
  }

  /** Whether a revision was made by restoring an older one (its first event says so). */
  private isRestoreRevision(id: string, number: number): boolean {
    const op = this.db
      .prepare('SELECT operation FROM contribution_events WHERE document_id = ? AND revision = ? ORDER BY id LIMIT 1')
      .pluck()
      .get(id, number);
    return op === 'restore';
  }

  private logEvent(
    documentId: string,
    revision: number,
    authorId: string,
    operation: string,
    start: number,
    deleted: string,
    inserted: string,
    createdAt: number,
  ): void {
    this.contributions.appendOne({ documentId, revision, authorId, operation, start, deleted, inserted, createdAt });
  }
}

function toRecord(r: DocRow): DocumentRecord {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    revision: r.revision,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

function cleanTitle(title: string | undefined): string {
  return (title ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
}

function checkBody(body: string): string {
  if (body.length > MAX_BODY_CHARS) {
    throw new AppError(
      'bad_request',
      `The text is too long (${body.length.toLocaleString('en')} characters; the limit is ${MAX_BODY_CHARS.toLocaleString('en')}).`,
    );
  }
  if (textLooksBinary(body)) throw new AppError('bad_request', 'This looks like binary data, not text.');
  return body;
}

function snippetAround(head: string, q: string | undefined): string {
  const flat = head.replace(/\s+/g, ' ').trim();
  if (!q) return flat.slice(0, 140);
  const at = flat.toLowerCase().indexOf(q.toLowerCase());
  const from = Math.max(0, at - 40);
  return (from > 0 ? '…' : '') + flat.slice(from, from + 140);
}
