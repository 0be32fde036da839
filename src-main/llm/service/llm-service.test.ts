import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalCaller } from '../../api';
import { createApp, type App } from '../../app';
import { recordInstalledModel } from '../catalog/installed-models';
import { writeGguf } from '../gguf';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../openai/fake-openai-server';
import type { GenerationPart } from '../provider';

const shared = process.env.PALIMPSEST_SHARED ?? path.resolve(import.meta.dirname, '../../../../shared');
const stories = path.join(shared, 'models/stories260K');
const hasStories =
  fs.existsSync(path.join(stories, 'stories260K.bin')) && fs.existsSync(path.join(stories, 'tok512.bin'));
if (!hasStories)
  console.warn(
    `LlmService import/generate test skipped: ${stories} not found (set PALIMPSEST_SHARED to the shared folder)`,
  );

describe('LlmService', () => {
  let dataDir: string;
  let app: App;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-llm-service-'));
    app = createApp({ dataDir, startJobs: false });
  });
  afterEach(async () => {
    await app.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(!hasStories)('imports a llama2.c checkpoint, then generates with an author and records it', async () => {
    const model = await app.llm.importModel({ path: path.join(stories, 'stories260K.bin') });
    expect(model).toMatchObject({
      id: 'stories260K',
      fileName: 'stories260K.gguf',
      architecture: 'llama',
      quantization: 'F32',
      contextLength: 512,
      source: 'import',
    });
    expect(fs.readdirSync(app.llm.modelsDir)).toEqual(['stories260K.gguf']);
    expect((await app.llm.listInstalled()).map((m) => m.id)).toEqual(['stories260K']);
    // A second import of the same file is refused rather than overwriting.
    await expect(app.llm.importModel({ path: path.join(stories, 'stories260K.bin') })).rejects.toMatchObject({
      code: 'conflict',
    });

    const author = app.llm.createAuthor({
      name: 'Storyteller',
      provider: 'local',
      model: model.id,
      sampling: { temperature: 0, maxTokens: 12 },
    });
    const parts: GenerationPart[] = [];
    for await (const p of app.llm.generate({ authorId: author.id, mode: 'completion', prompt: '' })) parts.push(p);
    const text = parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
    expect(text.startsWith('Once upon a time')).toBe(true);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'length', usage: { completionTokens: 12 } });
    const [g] = app.llm.listGenerations({ authorId: author.id });
    expect(g).toMatchObject({
      provider: 'local',
      model: 'stories260K',
      completionTokens: 12,
      finishReason: 'length',
      errorCode: null,
    });
    expect(g!.tokensPerSecond).toBeGreaterThan(0);

    await app.llm.deleteModel(model.id);
    expect(await app.llm.listInstalled()).toEqual([]);
  });

  it('refuses a non-GGUF or truncated file and leaves nothing behind', async () => {
    const src = path.join(dataDir, 'notes.txt');
    fs.writeFileSync(src, 'Not a model at all, just some words.\n'.repeat(100));
    await expect(app.llm.importModel({ path: src })).rejects.toMatchObject({
      code: 'bad_request',
      userMessage: expect.stringMatching(/not a GGUF model/),
    });
    // GGUF magic but cut short: the header runs past the end of the file.
    const truncated = path.join(dataDir, 'cut.gguf');
    fs.writeFileSync(
      truncated,
      Buffer.concat([Buffer.from('GGUF'), Buffer.from([3, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0])]),
    );
    await expect(app.llm.importModel({ path: truncated })).rejects.toMatchObject({
      code: 'bad_request',
      details: { llmCode: 'invalid_model' },
    });
    await expect(app.llm.importModel({ path: path.join(dataDir, 'absent.gguf') })).rejects.toMatchObject({
      code: 'not_found',
    });
    // Pasted paths (quoted, or a file:// URL) are read like plain ones.
    for (const pasted of [`"${src}"`, `file://${src}`]) {
      await expect(app.llm.importModel({ path: pasted })).rejects.toMatchObject({
        userMessage: expect.stringMatching(/^notes\.txt is not/),
      });
    }
    const left = fs.existsSync(app.llm.modelsDir) ? fs.readdirSync(app.llm.modelsDir) : [];
    expect(left).toEqual([]);
    expect(app.store.db.prepare('SELECT COUNT(*) FROM installed_models').pluck().get()).toBe(0);
  });

  it('lists the catalog with memory and checksum facts, and enqueues one download per model', async () => {
    const catalog = await app.llm.catalog();
    expect(catalog.length).toBeGreaterThan(0);
    const first = catalog[0]!;
    expect(first.memory.neededBytes).toBeGreaterThan(first.sizeBytes);
    expect(first.memory.freeBytes).toBeGreaterThan(0);
    expect(first).toMatchObject({
      installedId: null,
      downloadJobId: null,
      checksum: { verified: expect.any(Boolean) },
    });
    const job = await app.llm.startDownload(first.id);
    expect(job).toMatchObject({ kind: 'models.download', status: 'queued', payload: { catalogId: first.id } });
    // Asking again while it is queued returns the same job instead of a second download.
    expect((await app.llm.startDownload(first.id)).id).toBe(job.id);
    expect((await app.llm.catalog())[0]!.downloadJobId).toBe(job.id);
    await expect(app.llm.startDownload('no-such-model')).rejects.toMatchObject({ code: 'not_found' });
    app.jobs.cancel(job.id);
  });

  it('lists one library: files on disk under the engine id, with how they came and their catalog id', async () => {
    fs.mkdirSync(app.llm.modelsDir, { recursive: true });
    const meta = [{ key: 'general.architecture', type: 'string', value: 'llama' } as const];
    const downloaded = path.join(app.llm.modelsDir, 'Tiny-Q4_K_M.gguf');
    await writeGguf(downloaded, meta, []);
    await writeGguf(path.join(app.llm.modelsDir, 'by-hand.gguf'), meta, []);
    // A row left by an older build under another id for the same file, as a download records it now.
    recordInstalledModel(app.store.db, {
      id: 'tiny-q4_k_m',
      fileName: 'Tiny-Q4_K_M.gguf',
      path: downloaded,
      sizeBytes: 1,
      sha256: '0'.repeat(64),
      verified: true,
      catalogId: 'tiny-catalog',
      source: 'catalog',
    });
    const rows = await app.llm.listInstalled();
    expect(rows.map((m) => [m.id, m.source, m.catalogId])).toEqual([
      ['Tiny-Q4_K_M', 'catalog', 'tiny-catalog'],
      ['by-hand', null, null],
    ]);
    // The catalog id and the file name name the same model.
    expect((await app.llm.library.find('tiny-catalog'))?.id).toBe('Tiny-Q4_K_M');
    expect((await app.llm.library.find('by-hand.gguf'))?.id).toBe('by-hand');
    // Deleting by the one id removes the file and the row.
    await app.llm.deleteModel('Tiny-Q4_K_M');
    expect((await app.llm.listInstalled()).map((m) => m.id)).toEqual(['by-hand']);
    expect(app.store.db.prepare('SELECT COUNT(*) FROM installed_models').pluck().get()).toBe(0);
  });

  it('enqueues one models.download job per URL file, and refuses what it cannot download', async () => {
    const url = 'http://127.0.0.1:9/files/Some%20Model.gguf';
    const job = await app.llm.startUrlDownload({ url });
    expect(job).toMatchObject({ kind: 'models.download', payload: { fileName: 'Some Model.gguf', sha256: null } });
    expect((await app.llm.startUrlDownload({ url })).id).toBe(job.id);
    await expect(app.llm.startUrlDownload({ url: 'ftp://x/y.gguf' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(app.llm.startUrlDownload({ url: 'http://x/y.bin' })).rejects.toMatchObject({ code: 'bad_request' });
    app.jobs.cancel(job.id);
    fs.mkdirSync(app.llm.modelsDir, { recursive: true });
    fs.writeFileSync(path.join(app.llm.modelsDir, 'here.gguf'), 'x');
    await expect(app.llm.startUrlDownload({ url: 'http://x/here.gguf' })).rejects.toMatchObject({ code: 'conflict' });
  });

  describe('endpoints over the API', () => {
    let server: FakeOpenAiServer;
    beforeEach(async () => {
      server = await startFakeOpenAiServer();
    });
    afterEach(() => server.close());

    it('never returns an endpoint key, in any answer', async () => {
      const key = 'sk-never-echo-this-9876';
      const api = createLocalCaller({ app, transport: 'local' });
      const added = await api.llm.addEndpoint({ name: 'lab', baseUrl: server.baseUrl, apiKey: key });
      expect(added).toMatchObject({ name: 'lab', hasKey: true });
      const answers: unknown[] = [
        added,
        await api.llm.endpoints(),
        await api.llm.health(),
        await api.llm.testEndpoint({ id: added.id }),
      ];
      answers.push(await api.llm.updateEndpoint({ id: added.id, name: 'lab 2' }));
      answers.push(await api.llm.testEndpoint({ baseUrl: server.baseUrl, apiKey: key }));
      for (const a of answers) expect(JSON.stringify(a)).not.toContain(key);
      expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${key}`);
      const health = (await api.llm.health()).find((h) => h.ref === `endpoint:${added.id}`);
      expect(health).toMatchObject({ name: 'lab 2', reachable: true });
      expect(health!.latencyMs).toBeGreaterThanOrEqual(0);
      // Removing the key through an edit; the key store no longer holds it.
      expect(await api.llm.updateEndpoint({ id: added.id, apiKey: null })).toMatchObject({ hasKey: false });
      expect(await app.llm.endpoints.secrets.list()).toEqual([]);
    });

    it('streams a generation with an endpoint author and maps failures to API errors', async () => {
      const api = createLocalCaller({ app, transport: 'local' });
      const ep = await api.llm.addEndpoint({ name: 'lab', baseUrl: server.baseUrl });
      // An endpoint may be named by its name; the author keeps its id.
      const byName = await api.llm.createAuthor({ name: 'By name', provider: 'endpoint:lab', model: 'fake-model' });
      expect(byName.model).toMatchObject({ provider: `endpoint:${ep.id}` });
      const muse = await api.llm.createAuthor({
        name: 'Muse',
        provider: `endpoint:${ep.id}`,
        model: 'fake-model',
        systemPrompt: 'Be brief.',
      });
      let text = '';
      for await (const p of await api.llm.generate({ authorId: muse.id, prompt: 'Begin.' }))
        if (p.type === 'text') text += p.text;
      expect(text).toBe('Once upon a time');
      expect(app.llm.listGenerations({ authorId: muse.id })).toHaveLength(1);
      // Without an author: provider + model, recorded with no author.
      let direct = '';
      for await (const p of await api.llm.generate({
        provider: `endpoint:${ep.id}`,
        model: 'fake-model',
        prompt: 'Go.',
      })) {
        if (p.type === 'text') direct += p.text;
      }
      expect(direct).toBe('Once upon a time');
      expect(app.llm.listGenerations({ limit: 1 })[0]).toMatchObject({
        authorId: null,
        provider: `endpoint:${ep.id}`,
        finishReason: 'stop',
      });
      // Authors edit and delete through the API.
      expect(
        await api.llm.updateAuthor({ id: muse.id, name: 'Muse II', sampling: { temperature: 0.3 } }),
      ).toMatchObject({
        name: 'Muse II',
        model: { sampling: { temperature: 0.3 }, systemPrompt: 'Be brief.' },
      });
      const run = async (input: Parameters<typeof api.llm.generate>[0]) => {
        for await (const _ of await api.llm.generate(input)) void _;
      };
      // Subscriptions throw the service's AppError as is; the error formatter sends its code and message.
      await expect(run({ authorId: 'model_missing', prompt: 'x' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(api.llm.createAuthor({ name: 'X', provider: 'endpoint:nope', model: 'm' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      await api.llm.updateEndpoint({ id: ep.id, baseUrl: 'http://127.0.0.1:9/v1' });
      await expect(run({ authorId: muse.id, prompt: 'x' })).rejects.toMatchObject({
        code: 'unavailable',
        details: { llmCode: 'unreachable' },
      });
    });

    // Defect 6, the ad-hoc path: `models generate --base-url …/v1?api_key=sk-…` was still accepted;
    // the key went into the generation log's provider column and the unreachable-server message.
    it.each([
      ['a query string', (b: string) => `${b}?api_key=sk-leaked-4242`],
      ['a fragment', (b: string) => `${b}#sk-leaked-4242`],
      ['credentials', (b: string) => b.replace('//', '//user:sk-leaked-4242@')],
    ])('refuses an ad-hoc base URL with %s, for generate and test, and records nothing', async (_what, leak) => {
      const api = createLocalCaller({ app, transport: 'local' });
      const baseUrl = leak(server.baseUrl);
      const generate = async () => {
        for await (const _ of await api.llm.generate({ baseUrl, model: 'fake-model', prompt: 'x' })) void _;
      };
      for (const call of [generate, () => api.llm.testEndpoint({ baseUrl })]) {
        const err = await call().then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toMatchObject({ code: expect.stringMatching(/^(bad_request|BAD_REQUEST)$/) });
        expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain('sk-leaked-4242');
      }
      expect(server.requests).toHaveLength(0);
      expect(app.llm.listGenerations({})).toEqual([]);
    });
  });
});
