import type Database from 'better-sqlite3';
import type { AuthorKind } from '../authorship/common';
import { eventHash, GENESIS_SEED, type Sha256Hex } from './common/canonical-event';
import type { ProvenanceEvent } from './common/contract';

interface EventRow {
  id: number;
  author_id: string;
  kind: AuthorKind | null;
  author_kind: AuthorKind;
  operation: string;
  start: number;
  inserted: string;
  deleted: string;
  created_at: number;
  generation_id: number | null;
  seq: number | null;
  hash: string | null;
  source_from: number | null;
  source_to: number | null;
}

/** EventRow's columns in COLUMNS order. */
type RawRow = [
  number,
  string,
  AuthorKind | null,
  AuthorKind,
  string,
  number,
  string,
  string,
  number,
  number | null,
  number | null,
  string | null,
  number | null,
  number | null,
];

/** An event before it is chained: the store assigns seq, prevHash and hash. */
export type NewEvent = Omit<ProvenanceEvent, 'seq' | 'prevHash' | 'hash'> & { revision: number };

const COLUMNS = `e.id, e.author_id, e.kind, a.kind AS author_kind, e.operation, e.start, e.inserted, e.deleted,
  e.created_at, e.generation_id, e.seq, e.hash, e.source_from, e.source_to`;

/**
 * The hash-chained contribution log of each document, on the `contribution_events` table. Rows the
 * snapshot save path (DocumentService) writes carry no hash; `seal` chains them, in id order, after
 * the last sealed row. A row without a hash *before* a sealed one is never sealed: verify reports it.
 */
export class EventStore {
  readonly genesis: string;
  private readonly selectAll: Database.Statement;
  private readonly selectTail: Database.Statement;
  private readonly selectUnsealed: Database.Statement;
  private readonly anyUnsealed: Database.Statement;
  private readonly sealRow: Database.Statement;
  private readonly insertRow: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly sha256: Sha256Hex,
  ) {
    this.genesis = sha256(GENESIS_SEED);
    this.selectAll = db
      .prepare(
        `SELECT ${COLUMNS} FROM contribution_events e JOIN authors a ON a.id = e.author_id WHERE e.document_id = ? ORDER BY e.id`,
      )
      .raw();
    this.selectTail = db.prepare(
      'SELECT id, seq, hash FROM contribution_events WHERE document_id = ? AND hash IS NOT NULL ORDER BY id DESC LIMIT 1',
    );
    this.selectUnsealed = db.prepare(
      `SELECT ${COLUMNS} FROM contribution_events e JOIN authors a ON a.id = e.author_id
       WHERE e.document_id = ? AND e.hash IS NULL AND e.id > ? ORDER BY e.id`,
    );
    this.anyUnsealed = db
      .prepare('SELECT 1 FROM contribution_events WHERE document_id = ? AND hash IS NULL LIMIT 1')
      .pluck();
    this.sealRow = db.prepare('UPDATE contribution_events SET seq = ?, kind = ?, prev_hash = ?, hash = ? WHERE id = ?');
    this.insertRow = db.prepare(
      `INSERT INTO contribution_events (document_id, revision, author_id, operation, start, end, inserted, deleted,
         created_at, generation_id, seq, kind, prev_hash, hash, source_from, source_to)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** The last sealed event's seq and hash (seq 0 and the genesis hash for an empty chain). Seal first. */
  tail(documentId: string): { seq: number; head: string } {
    const row = this.selectTail.get(documentId) as { seq: number; hash: string } | undefined;
    return row ? { seq: row.seq, head: row.hash } : { seq: 0, head: this.genesis };
  }

  /** Whether the document has rows without a hash (written by the snapshot path, or tampered with). */
  hasUnsealed(documentId: string): boolean {
    return this.anyUnsealed.get(documentId) !== undefined;
  }

  /** Chains the rows written without a hash after the last sealed one. Call inside a transaction. */
  seal(documentId: string): void {
    const last = this.selectTail.get(documentId) as { id: number; seq: number; hash: string } | undefined;
    let seq = last?.seq ?? 0;
    let prev = last?.hash ?? this.genesis;
    for (const row of this.selectUnsealed.all(documentId, last?.id ?? 0) as EventRow[]) {
      const e = toEvent(row, ++seq, prev);
      e.hash = eventHash(this.sha256, documentId, e);
      this.sealRow.run(seq, e.kind, prev, e.hash, row.id);
      prev = e.hash;
    }
  }

  /** Appends events after the current tail and returns the new head. Call inside a transaction, after seal. */
  append(documentId: string, events: readonly NewEvent[]): string {
    let { seq, head } = this.tail(documentId);
    for (const n of events) {
      const e: ProvenanceEvent = { ...n, seq: ++seq, prevHash: head, hash: '' };
      e.hash = eventHash(this.sha256, documentId, e);
      this.insertRow.run(
        documentId,
        n.revision,
        e.authorId,
        e.operation,
        e.from,
        e.from + e.insert.length,
        e.insert,
        e.deleted,
        e.at,
        e.generationId,
        e.seq,
        e.kind,
        e.prevHash,
        e.hash,
        e.source?.from ?? null,
        e.source?.to ?? null,
      );
      head = e.hash;
    }
    return head;
  }

  /** Every event of a document in the order it was written (seal first, or unsealed rows read as broken). */
  events(documentId: string): ProvenanceEvent[] {
    // Raw rows (arrays): a 100,000-event log reads without building 100,000 intermediate objects.
    // prev_hash is not read: an event's prevHash is the hash of the row before it (what its own
    // hash committed to), so a changed prev_hash column cannot hide anything.
    const out: ProvenanceEvent[] = [];
    let prev = this.genesis;
    for (const r of this.selectAll.iterate(documentId) as IterableIterator<RawRow>) {
      const hash = r[11] ?? '';
      out.push({
        seq: r[10] ?? 0,
        at: r[8],
        authorId: r[1],
        kind: r[2] ?? r[3],
        operation: r[4],
        from: r[5],
        to: r[5] + r[7].length,
        insert: r[6],
        deleted: r[7],
        generationId: r[9],
        source: r[12] !== null && r[13] !== null ? { from: r[12], to: r[13] } : null,
        prevHash: prev,
        hash,
      });
      prev = hash;
    }
    return out;
  }
}

function toEvent(r: EventRow, seq: number, prevHash: string): ProvenanceEvent {
  return {
    seq,
    at: r.created_at,
    authorId: r.author_id,
    // Sealed rows keep the kind they were hashed with; older rows take their author's.
    kind: r.kind ?? r.author_kind,
    operation: r.operation,
    from: r.start,
    to: r.start + r.deleted.length,
    insert: r.inserted,
    deleted: r.deleted,
    generationId: r.generation_id,
    source: r.source_from !== null && r.source_to !== null ? { from: r.source_from, to: r.source_to } : null,
    prevHash,
    hash: r.hash ?? '',
  };
}
