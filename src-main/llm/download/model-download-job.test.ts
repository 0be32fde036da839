import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobRunner } from '../../jobs';
import { openStore, type Store } from '../../store';
import { listInstalledModels } from '../catalog/installed-models';
import { MODEL_DOWNLOAD_JOB, registerModelDownloadJob, type ModelDownloadState } from './model-download-job';
import { sha256Hex, startTestFileServer, type TestFileServer } from './test-file-server';

const content = randomBytes(2 * 1024 * 1024);
const sha = sha256Hex(content);

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('models.download job', () => {
  let dataDir: string;
  let store: Store;
  let server: TestFileServer;
  let modelsDir: string;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-job-'));
    modelsDir = path.join(dataDir, 'models');
    store = openStore({ dataDir });
    server = await startTestFileServer(content);
  });
  afterEach(async () => {
    await server.close();
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('checkpoints bytes and resumes in a new runner after the first one stopped (process killed)', async () => {
    server.mode = { delayMs: 15 };
    const first = new JobRunner(store.db);
    registerModelDownloadJob(first, { modelsDir, checkpointIntervalMs: 20 });
    first.start();
    const job = first.enqueue(MODEL_DOWNLOAD_JOB, {
      url: server.url,
      fileName: 'tiny.gguf',
      sha256: sha,
      catalogId: 'tiny-catalog',
    });
    await until(() => (first.get(job.id).done ?? 0) > 200_000);
    await first.stop();
    const row = store.db.prepare('SELECT status, state FROM jobs WHERE id = ?').get(job.id) as {
      status: string;
      state: string;
    };
    expect(row.status).toBe('running');
    const state = JSON.parse(row.state) as ModelDownloadState;
    expect(state.bytes).toBeGreaterThan(0);
    expect(state.validator).toBe('"v1"');
    expect(fs.existsSync(path.join(modelsDir, 'tiny.gguf'))).toBe(false);

    server.mode = {};
    const second = new JobRunner(store.db);
    registerModelDownloadJob(second, { modelsDir });
    second.start();
    await second.whenIdle();
    const done = second.get(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ id: 'tiny', bytes: content.length, sha256: sha, verified: true });
    expect(server.requests.at(-1)!.range).toMatch(/^bytes=\d+-$/);
    expect(fs.readFileSync(path.join(modelsDir, 'tiny.gguf')).equals(content)).toBe(true);
    expect(listInstalledModels(store.db)).toMatchObject([
      // One id for the model library: the file's name, not the catalog entry's.
      { id: 'tiny', catalogId: 'tiny-catalog', verified: true, source: 'catalog', present: true },
    ]);
    await second.stop();
  });

  it('records an unverified install when no checksum is published', async () => {
    const jobs = new JobRunner(store.db);
    registerModelDownloadJob(jobs, { modelsDir });
    jobs.start();
    const job = jobs.enqueue(MODEL_DOWNLOAD_JOB, { url: server.url, fileName: 'free.gguf', sha256: null });
    await jobs.whenIdle();
    expect(jobs.get(job.id)).toMatchObject({ status: 'succeeded', message: expect.stringMatching(/UNVERIFIED/) });
    expect(listInstalledModels(store.db)[0]).toMatchObject({ id: 'free', verified: false, source: 'url' });
    await jobs.stop();
  });

  it('a user cancel removes the partial file', async () => {
    server.mode = { delayMs: 15 };
    const jobs = new JobRunner(store.db);
    registerModelDownloadJob(jobs, { modelsDir });
    jobs.start();
    const job = jobs.enqueue(MODEL_DOWNLOAD_JOB, { url: server.url, fileName: 'c.gguf', sha256: sha });
    await until(() => fs.existsSync(path.join(modelsDir, 'c.gguf.part')) && jobs.get(job.id).done > 0);
    jobs.cancel(job.id);
    await jobs.whenIdle();
    expect(jobs.get(job.id).status).toBe('cancelled');
    expect(fs.readdirSync(modelsDir)).toEqual([]);
    await jobs.stop();
  });

  it('rejects unsafe payloads at enqueue time', () => {
    const jobs = new JobRunner(store.db);
    registerModelDownloadJob(jobs, { modelsDir });
    expect(() => jobs.enqueue(MODEL_DOWNLOAD_JOB, { url: server.url, fileName: '../evil.gguf', sha256: null })).toThrow(
      /Invalid/,
    );
  });
});
