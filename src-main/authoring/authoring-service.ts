import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError, notFound } from '../core/app-error';
import { authorColors } from '../authorship/common/author-colors';
import { Emitter } from '../core/events';
import { textLooksBinary } from '../core/common/decode-text';
import { countWords, MAX_BODY_CHARS } from '../documents';
import { segmentText } from '../detection/segments';
import { AuthorResolver } from './author-resolver';
import { canonicalBundle, verifyBundle, type BundleVerifyResult } from './common/bundle';
import type { Sha256Hex } from './common/canonical-event';
import type {
  Edit,
  GroundTruth,
  Provenance,
  ProvenanceBundle,
  ProvenanceEvent,
  TimelineEvent,
  VerifyResult,
} from './common/contract';
import { editProblem, ProvenanceReplay } from './common/replay';
import { SpanTable } from './common/span-table';
import { summarize } from './common/summarize';
import { verifyChain } from './common/verify-chain';
import { EventStore, type NewEvent } from './event-store';
import type { ReportData } from './report/report-data';
import { documentReferences } from './report/references';

/** sha256 hex of a string's UTF-8 bytes (one-shot `crypto.hash` where Node has it: half the cost per event). */
export const sha256Hex: Sha256Hex =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** Consecutive saves by one author within this window share a revision (as DocumentService's autosave). */
const REVISION_COALESCE_MS = 120_000;
/** Most edits one apply call takes (a 10,000-line `docs apply` file is well inside). */
export const MAX_EDITS_PER_APPLY = 1_000_000;

export interface ApplyInput {
  documentId: string;
  edits: readonly Edit[];
  /** The editor's JSON, stored beside the text (never read for provenance). */
  rich?: unknown;
  /** The head the client last saw; a different current head is a conflict and nothing is applied. */
  expectedHead?: string;
}

export interface ApplyResult {
  /** The document's save counter after the batch (what `documents.update` takes as baseRevision). */
  revision: number;
  head: string;
  applied: number;
}

export interface AuthoringDocument {
  id: string;
  title: string;
  text: string;
  rich: unknown;
  head: string;
  revision: number;
}

interface DocRow {
  id: string;
  title: string;
  body: string;
  rich: string | null;
  revision: number;
  deleted_at: number | null;
}

/**
 * Co-authoring on the edit level: applies batches of edits atomically to a document's plain text,
 * appends them to the hash-chained contribution log, and derives provenance (who wrote each
 * character), verification, bundles and ground truth from that log alone.
 */
export class AuthoringService {
  private readonly events: EventStore;
  private readonly applied = new Emitter<{ documentId: string; head: string; applied: number }>();
  /** Fires after a batch of edits is committed. */
  readonly onDidApply = this.applied.event;

  constructor(private readonly db: Database.Database) {
    this.events = new EventStore(db, sha256Hex);
  }

  /**
   * Applies `edits` in order, all or nothing. Offsets of each edit refer to the text left by the
   * edits before it. Throws AppError('bad_request') naming the edit (details.index, 0-based) for an
   * out-of-range offset, a lone surrogate, a wrong paste source or an author of the wrong kind;
   * 'conflict' when `expectedHead` is stale or the document is in the trash; 'not_found'.
   */
  apply(input: ApplyInput): ApplyResult {
    if (input.edits.length > MAX_EDITS_PER_APPLY) {
      throw new AppError(
        'bad_request',
        `At most ${MAX_EDITS_PER_APPLY.toLocaleString('en')} edits can be applied at once.`,
      );
    }
    const result = this.db
      .transaction((): ApplyResult => {
        const doc = this.row(input.documentId);
        if (doc.deleted_at) throw new AppError('conflict', 'This document is in the trash; restore it first.');
        this.events.seal(doc.id);
        const tail = this.events.tail(doc.id);
        if (input.expectedHead !== undefined && input.expectedHead !== tail.head) {
          throw new AppError(
            'conflict',
            'The document changed elsewhere since you opened it. Reload to see the latest text.',
            {
              head: tail.head,
            },
          );
        }
        const authors = new AuthorResolver(this.db);
        const rope = new SpanTable();
        const plain = rope.attr('', 'human', '');
        rope.insert(0, [{ text: doc.body, attr: plain }]);
        const now = Date.now();
        if (input.edits.length === 0) {
          // Formatting only (bold, a heading): the plain text and the log stay as they are.
          if (input.rich !== undefined) {
            this.db
              .prepare('UPDATE documents SET rich = ?, updated_at = ? WHERE id = ?')
              .run(JSON.stringify(input.rich), now, doc.id);
          }
          return { revision: doc.revision, head: tail.head, applied: 0 };
        }
        const revision = this.revisionFor(doc.id, input.edits);
        const rows: NewEvent[] = [];
        input.edits.forEach((edit, index) => {
          const fail = (message: string): never => {
            throw new AppError('bad_request', `Edit ${index + 1}: ${message}.`, { index });
          };
          const problem = editProblem(edit, rope.length, (a, b) => rope.slice(a, b));
          if (problem) fail(problem);
          if (edit.kind === 'model' && edit.source) fail('a model edit cannot be an internal paste');
          let authorId = '';
          try {
            authorId = authors.resolve(edit.author, edit.kind);
          } catch (e) {
            fail(AppError.isInstance(e) ? e.userMessage.replace(/\.$/, '') : String(e));
          }
          const deleted = rope.slice(edit.from, edit.to);
          rope.delete(edit.from, edit.to);
          rope.insert(edit.from, [{ text: edit.insert, attr: plain }]);
          if (rope.length > MAX_BODY_CHARS) {
            fail(`the text would be longer than ${MAX_BODY_CHARS.toLocaleString('en')} characters`);
          }
          rows.push({
            revision: revision.number,
            at: edit.at ?? now,
            authorId,
            kind: edit.kind,
            operation: edit.operation,
            from: edit.from,
            to: edit.to,
            insert: edit.insert,
            deleted,
            generationId: edit.generationId ?? null,
            source: edit.source ?? null,
          });
        });
        const text = rope.text();
        if (textLooksBinary(text))
          throw new AppError('bad_request', 'The edits would make the text look like binary data.');
        const head = this.events.append(doc.id, rows);
        this.saveRevision(doc.id, revision, text, rows[rows.length - 1]!.authorId);
        const rich = input.rich === undefined ? doc.rich : JSON.stringify(input.rich);
        this.db
          .prepare(
            'UPDATE documents SET body = ?, rich = ?, word_count = ?, updated_at = ?, revision = revision + 1 WHERE id = ?',
          )
          .run(text, rich, countWords(text), now, doc.id);
        return { revision: doc.revision + 1, head, applied: rows.length };
      })
      .immediate();
    this.applied.fire({ documentId: input.documentId, head: result.head, applied: result.applied });
    return result;
  }

  /** What the editor loads: the plain text, its editor JSON (null if never saved from the editor) and the head. */
  document(documentId: string): AuthoringDocument {
    const doc = this.row(documentId);
    const head = this.sealed(documentId).head;
    return {
      id: doc.id,
      title: doc.title,
      text: doc.body,
      rich: doc.rich === null ? null : (JSON.parse(doc.rich) as unknown),
      head,
      revision: doc.revision,
    };
  }

  /** Who wrote each character of the current text, with shares, role and involvement. */
  provenance(documentId: string): Provenance {
    const { events, head } = this.sealed(documentId);
    const table = this.replay(events);
    const names = this.authorNames();
    const spans = table.spans();
    const summary = summarize(spans, (id) => names.get(id) ?? id, firstWriterKind(events));
    return {
      text: table.text(),
      spans: spans.map((s) => ({
        start: s.start,
        end: s.end,
        author: names.get(s.attr.authorId) ?? s.attr.authorId,
        authorId: s.attr.authorId,
        kind: s.attr.kind,
        operation: s.attr.operation as Provenance['spans'][number]['operation'],
      })),
      ...summary,
      events: events.length,
      head,
    };
  }

  /** Every event with its author's name, for the replay view. */
  timeline(documentId: string): { events: TimelineEvent[] } {
    const { events } = this.sealed(documentId);
    const names = this.authorNames();
    return {
      events: events.map((e) => ({
        seq: e.seq,
        at: e.at,
        authorId: e.authorId,
        author: names.get(e.authorId) ?? e.authorId,
        kind: e.kind,
        operation: e.operation,
        from: e.from,
        to: e.to,
        insert: e.insert,
        deleted: e.deleted,
        source: e.source,
      })),
    };
  }

  /**
   * Re-checks the stored log: hashes chain from genesis, each event replays, and the replayed text
   * is the document's text. A tampered row makes `ok` false, naming the first bad event.
   */
  verify(documentId: string): VerifyResult {
    const doc = this.row(documentId);
    const { events } = this.sealed(documentId);
    const { table, ...result } = verifyChain(sha256Hex, documentId, events);
    if (result.ok && table.text() !== doc.body) {
      return {
        ...result,
        ok: false,
        firstBad: { seq: events.length, reason: "replaying the log does not give the document's current text" },
      };
    }
    return result;
  }

  /** The self-contained bundle: events, authors, final text, head and digest. */
  bundle(documentId: string): ProvenanceBundle {
    const doc = this.row(documentId);
    const { events, head } = this.sealed(documentId);
    const used = new Set(events.map((e) => e.authorId));
    const authors = (
      this.db.prepare('SELECT id, name, kind FROM authors ORDER BY created_at, id').all() as ProvenanceBundle['authors']
    ).filter((a) => used.has(a.id));
    const body: Omit<ProvenanceBundle, 'digest'> = {
      format: 'palimpsest-provenance',
      version: 1,
      document: { id: doc.id, title: doc.title },
      authors,
      events,
      text: doc.body,
      head,
    };
    return { ...body, digest: sha256Hex(canonicalBundle(body)) };
  }

  /** Verifies a bundle without the database (the same check `palimpsest verify` runs). */
  verifyBundle(bundle: unknown): BundleVerifyResult {
    return verifyBundle(sha256Hex, bundle);
  }

  /** Role, involvement and the model share of each detector passage, from provenance. */
  groundTruth(documentId: string): GroundTruth {
    const p = this.provenance(documentId);
    const passages = segmentText(p.text).map((seg) => {
      let model = 0;
      for (const s of p.spans) {
        if (s.kind !== 'model' || s.end <= seg.start || s.start >= seg.end) continue;
        model += Math.min(s.end, seg.end) - Math.max(s.start, seg.start);
      }
      return { start: seg.start, end: seg.end, llmShare: seg.end > seg.start ? model / (seg.end - seg.start) : 0 };
    });
    return { role: p.role, involvement: p.involvement, passages };
  }

  /**
   * The provenance report as a file: HTML (standalone page) or PDF (drawn headless), both with the
   * text coloured by author, shares, a timeline, role, involvement, the verify result and the head.
   */
  async report(
    documentId: string,
    format: 'html' | 'pdf',
  ): Promise<{ fileName: string; mime: string; base64: string }> {
    const doc = this.row(documentId);
    const names = this.authorNames();
    const timeline = this.timeline(documentId).events;
    const colors = this.reportColors([...new Set(timeline.map((e) => e.authorId))]);
    const data: ReportData = {
      title: doc.title,
      documentId,
      generatedAt: Date.now(),
      provenance: this.provenance(documentId),
      verify: this.verify(documentId),
      authors: new Map([...names].map(([id, name]) => [id, { name, color: colors.get(id) ?? '#888888' }])),
      timeline,
      references: documentReferences(this.db, documentId),
    };
    const base = (doc.title.replace(/[^\p{L}\p{N} _-]+/gu, '').trim() || 'document').slice(0, 80);
    if (format === 'html') {
      const { renderHtmlReport } = await import('./report/html-report');
      return {
        fileName: `${base} provenance.html`,
        mime: 'text/html',
        base64: Buffer.from(renderHtmlReport(data)).toString('base64'),
      };
    }
    const { renderPdfReport } = await import('./report/pdf-report');
    return {
      fileName: `${base} provenance.pdf`,
      mime: 'application/pdf',
      base64: (await renderPdfReport(data)).toString('base64'),
    };
  }

  /** Author id → display name, for every author. */
  authorNames(): Map<string, string> {
    const rows = this.db.prepare('SELECT id, name FROM authors').all() as Array<{ id: string; name: string }>;
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * Author id → colour for a report, the way the app colours a document: stored colours, all
   * different among the authors in `order` (first to write first).
   */
  private reportColors(order: readonly string[]): ReadonlyMap<string, string> {
    const rows = this.db.prepare('SELECT id, color FROM authors').all() as Array<{ id: string; color: string }>;
    const stored = new Map(rows.map((r) => [r.id, r.color]));
    return authorColors(order.map((authorId) => ({ authorId, color: stored.get(authorId) })));
  }

  /** Seals rows the snapshot path wrote, then reads the log. */
  private sealed(documentId: string): { events: ProvenanceEvent[]; head: string } {
    this.row(documentId);
    if (this.events.hasUnsealed(documentId)) this.db.transaction(() => this.events.seal(documentId)).immediate();
    // One read transaction: the events and the head are of the same moment.
    return this.db.transaction(() => ({
      events: this.events.events(documentId),
      head: this.events.tail(documentId).head,
    }))();
  }

  /** Replays a log into attributed text; a log that does not replay is reported, not half-shown. */
  private replay(events: readonly ProvenanceEvent[]): SpanTable {
    const replay = new ProvenanceReplay();
    const table = replay.table;
    for (const e of events) {
      const problem = editProblem(e, table.length, (a, b) => table.slice(a, b));
      if (problem) {
        throw new AppError(
          'conflict',
          `This document's edit log does not replay at event ${e.seq} (${problem}); run verify.`,
          {
            seq: e.seq,
          },
        );
      }
      replay.apply(e);
    }
    return table;
  }

  private row(documentId: string): DocRow {
    const row = this.db
      .prepare('SELECT id, title, body, rich, revision, deleted_at FROM documents WHERE id = ?')
      .get(documentId) as DocRow | undefined;
    if (!row) throw notFound('Document', documentId);
    return row;
  }

  /**
   * The revision number a batch belongs to, with DocumentService's coalescing rule: the last
   * revision when it is by the batch's author, younger than two minutes, not the first and not a
   * restore; otherwise a new one. A batch holding a restore always opens a new revision.
   */
  private revisionFor(documentId: string, edits: readonly Edit[]): { number: number; update: boolean } {
    const last = this.db
      .prepare('SELECT number, author_id, created_at FROM revisions WHERE document_id = ? ORDER BY number DESC LIMIT 1')
      .get(documentId) as { number: number; author_id: string; created_at: number } | undefined;
    if (!last) return { number: 1, update: false };
    const restoreRev =
      this.db
        .prepare('SELECT operation FROM contribution_events WHERE document_id = ? AND revision = ? ORDER BY id LIMIT 1')
        .pluck()
        .get(documentId, last.number) === 'restore';
    const author = edits[edits.length - 1]?.author;
    const coalesce =
      !edits.some((e) => e.operation === 'restore') &&
      !restoreRev &&
      last.number > 1 &&
      Date.now() - last.created_at < REVISION_COALESCE_MS &&
      (author === last.author_id || this.authorNamed(author) === last.author_id);
    return coalesce ? { number: last.number, update: true } : { number: last.number + 1, update: false };
  }

  private saveRevision(
    documentId: string,
    rev: { number: number; update: boolean },
    text: string,
    authorId: string,
  ): void {
    if (rev.update) {
      this.db
        .prepare('UPDATE revisions SET body = ? WHERE document_id = ? AND number = ?')
        .run(text, documentId, rev.number);
    } else {
      this.db
        .prepare('INSERT INTO revisions (document_id, number, body, author_id, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(documentId, rev.number, text, authorId, Date.now());
    }
  }

  private authorNamed(name: string | undefined): string | undefined {
    if (name === undefined) return undefined;
    return this.db.prepare('SELECT id FROM authors WHERE name = ? ORDER BY created_at LIMIT 1').pluck().get(name) as
      string | undefined;
  }
}

function firstWriterKind(events: readonly ProvenanceEvent[]): 'human' | 'model' | null {
  return events.find((e) => e.insert.length > 0)?.kind ?? null;
}
