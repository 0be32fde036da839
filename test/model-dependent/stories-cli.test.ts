/**
 * `palimpsest stories` as a real CLI process with stories260K on the local engine: `run` and
 * `list --json`, and a batch killed with SIGKILL mid-way and resumed (no story written twice,
 * the count exact). Needs the built CLI (out/) and $PALIMPSEST_SHARED (default <repo>/../shared).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalCaller } from '../../src-main/api/router';
import { createApp } from '../../src-main/app';
import type { Story, StorySummary } from '../../src-main/stories/common/contract';
import { cliPath, repoRoot, tempDir } from '../helpers/temp-dir';

const shared = process.env.PALIMPSEST_SHARED ?? resolve(import.meta.dirname, '../../../shared');
const modelDir = join(shared, 'models/stories260K');
const available = existsSync(join(modelDir, 'stories260K.bin')) && existsSync(join(repoRoot, 'out/cli/main.js'));
if (!available) console.warn(`stories CLI tests skipped: ${modelDir} or the built CLI (out/) not found`);

const SMALL = ['--preset', 'custom', '--words', '15', '--max-tokens', '24', '--min-words', '0'];

describe.skipIf(!available)('palimpsest stories (CLI, stories260K)', () => {
  let dataDir: string;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [cliPath, '--data-dir', dataDir, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });

  beforeAll(async () => {
    dataDir = tempDir();
    const app = createApp({ dataDir, startJobs: false });
    const api = createLocalCaller({ app, transport: 'local' });
    const model = await api.llm.importModel({ path: join(modelDir, 'stories260K.bin') });
    for (const name of ['Ann', 'Ben'])
      await api.llm.createAuthor({ name, provider: 'local', model: model.id, systemPrompt: `${name} tells it.` });
    await app.dispose();
  });

  it('run prints the story with its authors; --json the Story; list --json the summaries; unknown authors refused', () => {
    const text = cli([
      'stories',
      'run',
      '--prompt',
      'A dog finds a bone.',
      '--authors',
      'Ann,Ben',
      '--seed',
      '5',
      ...SMALL,
    ]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\[1\] Ann \(local\//);
    expect(text.stdout).toMatch(/\[2\] Ben \(local\//);
    const json = cli([
      'stories',
      'run',
      '--prompt',
      'A dog finds a bone.',
      '--authors',
      'Ann,Ben',
      '--seed',
      '5',
      '--json',
      ...SMALL,
    ]);
    expect(json.status, json.stderr).toBe(0);
    const story = JSON.parse(json.stdout) as Story;
    expect(story.status).toBe('done');
    expect(story.parts.map((p) => p.authorName)).toEqual(['Ann', 'Ben']);
    const list = cli(['--json', 'stories', 'list']);
    const items = JSON.parse(list.stdout) as StorySummary[];
    expect(items).toHaveLength(2);
    expect(items[0]!.id).toBe(story.id);
    const bad = cli(['stories', 'run', '--prompt', 'x', '--authors', 'Ann,Nobody']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Unknown author "Nobody"/);
    expect(cli(['stories', 'batch', '--prompts', 'f.txt', '--authors', 'Ann', '--orders', 'some']).status).toBe(2);
  });

  it('a batch killed with SIGKILL mid-way resumes without writing any story twice', async () => {
    const file = join(tempDir(), 'prompts.txt');
    writeFileSync(
      file,
      ['A cat climbs a tree.', 'A boy loses his hat.', 'not-a-prompt'.replace(/.*/, ''), 'A bird sings.'].join('\n'),
    );
    // 3 prompts × (Ann,Ben in both orders + Ben alone) = 9 stories.
    const proc = spawn(
      process.execPath,
      [
        cliPath,
        '--data-dir',
        dataDir,
        'stories',
        'batch',
        '--prompts',
        file,
        '--authors',
        'Ann,Ben;Ben',
        '--orders',
        'all',
        ...SMALL,
      ],
      { env: { ...process.env, PALIMPSEST_JOB_STEP_DELAY_MS: '400' }, stdio: 'ignore' },
    );
    const db = () => new Database(join(dataDir, 'palimpsest.db'), { readonly: true });
    const finishedInBatch = (): number => {
      const d = db();
      try {
        return d
          .prepare(`SELECT COUNT(*) FROM stories WHERE batch_id IS NOT NULL AND status = 'done'`)
          .pluck()
          .get() as number;
      } catch {
        return 0;
      } finally {
        d.close();
      }
    };
    for (let i = 0; i < 1200 && finishedInBatch() < 3; i++) await new Promise((r) => setTimeout(r, 25));
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    const mid = finishedInBatch();
    expect(mid).toBeGreaterThanOrEqual(3);
    expect(mid).toBeLessThan(9);

    const resumed = cli(['jobs', 'resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const d = db();
    const rows = d
      .prepare(`SELECT batch_index, status, document_id FROM stories WHERE batch_id IS NOT NULL ORDER BY batch_index`)
      .all() as Array<{ batch_index: number; status: string; document_id: string }>;
    const parts = d
      .prepare(`SELECT COUNT(*) FROM story_parts p JOIN stories s ON s.id = p.story_id WHERE s.batch_id IS NOT NULL`)
      .pluck()
      .get();
    const job = d
      .prepare(`SELECT status, done, total FROM jobs WHERE kind = 'stories.batch' ORDER BY created_at DESC LIMIT 1`)
      .get();
    const docs = d.prepare(`SELECT COUNT(*) FROM documents`).pluck().get() as number;
    d.close();
    expect(job).toMatchObject({ status: 'succeeded', done: 9, total: 9 });
    expect(rows.map((r) => r.batch_index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    // 2 + 2 + 1 parts per prompt, each stored once; one document per story (2 from the first test).
    expect(parts).toBe(15);
    expect(docs).toBe(9 + 2);
  });
});
