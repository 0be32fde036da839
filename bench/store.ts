import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ContributionLog, type ContributionEvent } from '../src-main/authorship';
import { DocumentService } from '../src-main/documents';
import { openStore } from '../src-main/store';
import { report, timeMedian } from './util';

const EVENTS = 50_000;

/** store.event_write: the contribution log vs a bare better-sqlite3 INSERT loop (same table, one transaction). */
export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-bench-store-'));
  const store = openStore({ dataDir: dir });
  const docs = new DocumentService(store.db);
  const doc = docs.create({ title: 'bench', body: '' });
  const events: ContributionEvent[] = Array.from({ length: EVENTS }, (_, i) => ({
    documentId: doc.id,
    revision: 1,
    authorId: 'human:me',
    operation: 'type',
    start: i,
    inserted: 'w',
    deleted: '',
    createdAt: Date.now(),
  }));
  const log = new ContributionLog(store.db);
  const clear = () => store.db.prepare('DELETE FROM contribution_events').run();

  // The baseline is the fastest plain loop: one prepared statement in one transaction.
  const bare = new Database(store.dbPath);
  const stmt = bare.prepare(
    'INSERT INTO contribution_events (document_id, revision, author_id, operation, start, end, inserted, deleted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const bareLoop = bare.transaction(() => {
    for (const e of events)
      stmt.run(
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
  });

  const ours: number[] = [];
  const base: number[] = [];
  // Interleave to share the machine's noise between both.
  for (let round = 0; round < 5; round++) {
    clear();
    base.push(
      await timeMedian(1, () => {
        clear();
        bareLoop();
      }),
    );
    ours.push(
      await timeMedian(1, () => {
        clear();
        log.append(events);
      }),
    );
  }
  bare.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  // clear() is inside both timings; it is the same cost on both sides.
  const oursRate = EVENTS / (med(ours) / 1000);
  const baseRate = EVENTS / (med(base) / 1000);
  report({
    bench: 'store.event_write',
    value: oursRate,
    unit: 'events/s',
    baseline: 'bare better-sqlite3 INSERT loop in one transaction',
    baseline_value: baseRate,
    x: oursRate / baseRate,
  });
}
