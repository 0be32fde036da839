/**
 * The library's GGUF dense path with a real model on the local engine: stories260K (llama2.c →
 * GGUF through `llm.importModel`) stands in for an embedding model (none can be downloaded here).
 * Its vectors carry little meaning, so this checks the path (embed every chunk in a job, store them
 * in sqlite-vec, embed the query, search, report `gguf`), not retrieval quality.
 * Needs the shared models folder: $PALIMPSEST_SHARED (default <repo>/../shared).
 */
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCaller } from '../../src-main/api/router';
import { createApp, type App } from '../../src-main/app';
import { tempDir } from '../helpers/temp-dir';

const shared = process.env.PALIMPSEST_SHARED ?? resolve(import.meta.dirname, '../../../shared');
const modelDir = join(shared, 'models/stories260K');
const available = fs.existsSync(join(modelDir, 'stories260K.bin')) && fs.existsSync(join(modelDir, 'tok512.bin'));
if (!available)
  console.warn(
    `library GGUF embedding test skipped: ${modelDir} not found (set PALIMPSEST_SHARED to the shared folder)`,
  );

describe.skipIf(!available)('library dense search through a GGUF model', () => {
  let app: App;
  let api: ReturnType<typeof createLocalCaller>;
  let refs: string;

  beforeAll(async () => {
    const dir = tempDir();
    refs = join(dir, 'refs');
    fs.mkdirSync(refs);
    fs.writeFileSync(join(refs, 'cat.txt'), 'The little cat played with a ball in the garden.');
    fs.writeFileSync(join(refs, 'boat.txt'), 'Tom sailed a small boat on the lake with his dad.');
    app = createApp({ dataDir: join(dir, 'data') });
    api = createLocalCaller({ app, transport: 'local' });
    await app.jobs.whenDone((await api.library.add({ paths: [refs] })).jobId);
  }, 60_000);
  afterAll(async () => {
    await app?.dispose();
  });

  it('embeds the library in a job when the model is chosen, then searches with it', async () => {
    const model = await api.llm.importModel({ path: join(modelDir, 'stories260K.bin') });
    const { jobId } = await api.library.setSettings({ dense: 'gguf', embeddingModel: model.id });
    expect(jobId).not.toBeNull();
    const job = await app.jobs.whenDone(jobId!);
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(await api.library.status()).toMatchObject({
      dense: 'gguf',
      chunks: 2,
      embeddingModel: { id: model.id, present: true },
    });
    const r = await api.library.search({ query: 'the cat and the ball', retriever: 'dense', k: 2 });
    expect(r.dense).toBe('gguf');
    expect(r.notices).toEqual([]);
    expect(r.hits).toHaveLength(2);
    expect(r.hits[0]!.scores.dense).toBeTypeOf('number');
    // New files are embedded by the add job itself.
    fs.writeFileSync(join(refs, 'bird.txt'), 'A bird sang on the tree.');
    await app.jobs.whenDone((await api.library.add({ paths: [refs] })).jobId);
    expect((await api.library.status()).dense).toBe('gguf');
    const hybrid = await api.library.search({ query: 'bird tree', k: 3 });
    expect(hybrid.dense).toBe('gguf');
    expect(hybrid.hits[0]!.doc).toBe('bird.txt');
  }, 120_000);
});
