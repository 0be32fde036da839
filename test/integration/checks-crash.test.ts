import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  hasShippedModel,
  MODEL_SKIP_REASON,
  SAMPLE_GENERATED,
  SAMPLE_HUMAN,
} from '../../src-main/checks/test-fixtures';
import { startServer } from '../helpers/server';
import { cliPath, tempDir } from '../helpers/temp-dir';

const FILES = 24;

describe.skipIf(!hasShippedModel)(`batch checks survive kill -9${MODEL_SKIP_REASON}`, () => {
  it('resumes a folder check killed mid-way: every file scored and stored exactly once', async () => {
    const dataDir = tempDir();
    const src = tempDir();
    for (let i = 0; i < FILES; i++) {
      fs.writeFileSync(
        path.join(src, `essay-${String(i).padStart(2, '0')}.txt`),
        `${i % 2 ? SAMPLE_GENERATED : SAMPLE_HUMAN}\n\nEssay ${i}.`,
      );
    }
    const server = await startServer(dataDir, { PALIMPSEST_JOB_STEP_DELAY_MS: '80' });
    const url = new URL(server.url);
    const res = await fetch(`${url.origin}/trpc/checks.startBatch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ paths: [src] }),
    });
    expect(res.status).toBe(200);

    const dbFile = path.join(dataDir, 'palimpsest.db');
    const scored = () => {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT COUNT(*) FROM check_items WHERE result IS NOT NULL').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    for (let i = 0; i < 600 && scored() < 5; i++) await new Promise((r) => setTimeout(r, 25));
    server.proc.kill('SIGKILL');
    await new Promise((r) => server.proc.once('exit', r));

    let db = new Database(dbFile);
    const mid = db.prepare('SELECT status, done FROM jobs').get() as { status: string; done: number };
    const midScored = db.prepare('SELECT COUNT(*) FROM check_items WHERE result IS NOT NULL').pluck().get() as number;
    const firstScoredAt = db.prepare('SELECT position, scored_at FROM check_items WHERE result IS NOT NULL').all();
    db.close();
    expect(mid.status).toBe('running');
    expect(midScored).toBeGreaterThanOrEqual(5);
    expect(midScored).toBeLessThan(FILES);
    expect(mid.done).toBe(midScored); // checkpoint and results committed together

    const resumed = spawnSync(process.execPath, [cliPath, '--data-dir', dataDir, '--json', 'jobs', 'resume'], {
      encoding: 'utf8',
    });
    expect(resumed.status, resumed.stderr).toBe(0);

    db = new Database(dbFile);
    const job = db.prepare('SELECT status, done, total FROM jobs').get();
    const items = db
      .prepare('SELECT position, source, result, error FROM check_items ORDER BY position')
      .all() as Array<{ position: number; source: string; result: string | null; error: string | null }>;
    // Items scored before the kill were not scored again (their timestamps did not change).
    const again = db
      .prepare('SELECT position, scored_at FROM check_items WHERE position < ? ORDER BY position')
      .all(midScored);
    db.close();
    expect(job).toMatchObject({ status: 'succeeded', done: FILES, total: FILES });
    expect(items).toHaveLength(FILES);
    expect(items.every((i) => i.result !== null && i.error === null)).toBe(true);
    expect(again).toEqual(firstScoredAt);
    const roles = items.map((i) => (JSON.parse(i.result!) as { role: string }).role);
    expect(roles.filter((r, k) => (k % 2 ? r !== 'human' : r === 'human')).length).toBeGreaterThanOrEqual(FILES - 2);
  });
});
