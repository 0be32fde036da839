import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EndpointRegistry, ProviderResolver } from '../llm/endpoints';
import { openFileSecretStore } from '../llm/keys/file-secret-store';
import {
  startFakeOpenAiServer,
  writeJson,
  writeSseStream,
  type FakeOpenAiServer,
} from '../llm/openai/fake-openai-server';
import type { GenerationPart } from '../llm/provider';
import { DocumentService } from '../documents';
import { migrations, openStore, type Store } from '../store';
import { tempDir } from '../../test/helpers/temp-dir';
import { AuthorService } from './author-service';
import { ContributionLog } from './contribution-log';
import { HUMAN_AUTHOR_ID } from './common';
import { generateWithAuthor } from './generate-with-author';
import { GenerationLog } from './generation-log';

describe('authors, endpoints and generations', () => {
  let dataDir: string;
  let store: Store;
  let server: FakeOpenAiServer;
  let authors: AuthorService;
  let generations: GenerationLog;
  let endpoints: EndpointRegistry;
  let providers: ProviderResolver;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-authors-'));
    store = openStore({ dataDir });
    server = await startFakeOpenAiServer();
    authors = new AuthorService(store.db);
    generations = new GenerationLog(store.db);
    endpoints = new EndpointRegistry(store.db, openFileSecretStore(dataDir));
    providers = new ProviderResolver({ endpoints });
  });
  afterEach(async () => {
    await providers.dispose();
    await server.close();
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates, lists, updates and deletes model authors next to the human', () => {
    const a = authors.createModelAuthor({
      name: 'Muse',
      provider: 'ollama',
      model: 'qwen2.5:0.5b',
      sampling: { temperature: 0.9 },
      systemPrompt: 'You write gothic fiction.',
    });
    expect(a).toMatchObject({
      kind: 'model',
      name: 'Muse',
      model: { provider: 'ollama', model: 'qwen2.5:0.5b', sampling: { temperature: 0.9 } },
    });
    expect(authors.list().map((x) => x.id)).toEqual([HUMAN_AUTHOR_ID, a.id]);
    const b = authors.update(a.id, { name: 'Muse II', sampling: { temperature: 0.2, seed: 1 } });
    expect(b).toMatchObject({
      name: 'Muse II',
      model: { sampling: { temperature: 0.2, seed: 1 }, systemPrompt: 'You write gothic fiction.' },
    });
    expect(() => authors.delete(HUMAN_AUTHOR_ID)).toThrow(/cannot be deleted/);
    authors.delete(a.id);
    expect(() => authors.get(a.id)).toThrow(/does not exist/);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM model_authors').get()).toEqual({ n: 0 });
  });

  it('generates with an author over an endpoint and records the generation', async () => {
    const ep = await endpoints.add({ name: 'lab', baseUrl: server.baseUrl, apiKey: 'sk-abc12345' });
    const muse = authors.createModelAuthor({
      name: 'Muse',
      provider: `endpoint:${ep.id}`,
      model: 'fake-model',
      sampling: { temperature: 0.8, maxTokens: 64 },
      systemPrompt: 'Be brief.',
    });
    const docId = 'doc_1';
    store.db.prepare(`INSERT INTO documents (id, title, created_at, updated_at) VALUES (?, 't', 0, 0)`).run(docId);
    let text = '';
    for await (const p of generateWithAuthor(
      { authors, generations, providers },
      { authorId: muse.id, prompt: 'Begin.', settings: { seed: 3 }, documentId: docId },
    )) {
      if (p.type === 'text') text += p.text;
    }
    expect(text).toBe('Once upon a time');
    const sent = server.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-abc12345');
    expect(sent.body).toMatchObject({
      temperature: 0.8,
      max_tokens: 64,
      seed: 3,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Begin.' },
      ],
    });
    const [g] = generations.list({ authorId: muse.id });
    expect(g).toMatchObject({
      provider: `endpoint:${ep.id}`,
      model: 'fake-model',
      settings: { temperature: 0.8, maxTokens: 64, seed: 3 },
      promptTokens: 7,
      completionTokens: 4,
      finishReason: 'stop',
      documentId: docId,
      errorCode: null,
    });
    expect(g!.promptSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(g!.ttftMs).toBeGreaterThan(0);
  });

  it('records failures and early stops too', async () => {
    const ep = await endpoints.add({ name: 'lab', baseUrl: server.baseUrl });
    const muse = authors.createModelAuthor({ name: 'Muse', provider: `endpoint:${ep.id}`, model: 'fake-model' });
    server.handle((_req, res) => writeJson(res, 401, { error: { message: 'no key' } }));
    const run = async () => {
      for await (const _ of generateWithAuthor({ authors, generations, providers }, { authorId: muse.id, prompt: 'x' }))
        void _;
    };
    await expect(run()).rejects.toMatchObject({ code: 'auth' });
    server.handle((_req, res) => writeSseStream(res, ['a', 'b', 'c'], { delayMs: 5 }));
    for await (const p of generateWithAuthor({ authors, generations, providers }, { authorId: muse.id, prompt: 'x' })) {
      if (p.type === 'text') break;
    }
    const gens = generations.list({ authorId: muse.id });
    expect(gens.map((g) => [g.finishReason, g.errorCode])).toEqual([
      ['abort', null],
      ['error', 'auth'],
    ]);
  });

  it('resolves a pool of endpoints and fails over to a live one', async () => {
    await endpoints.add({ name: 'dead', baseUrl: 'http://127.0.0.1:9/v1', pool: 'lab' });
    await endpoints.add({ name: 'live', baseUrl: server.baseUrl, pool: 'lab' });
    const muse = authors.createModelAuthor({ name: 'Pooled', provider: 'pool:lab', model: 'fake-model' });
    const parts: GenerationPart[] = [];
    for await (const p of generateWithAuthor(
      { authors, generations, providers },
      { authorId: muse.id, prompt: 'x', mode: 'completion' },
    ))
      parts.push(p);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    expect(server.requests.at(-1)!.path).toBe('/v1/completions');
  });

  // Defect 15: the default of 256 was applied only by the local engine, so a remote author made
  // without --max-tokens generated until interrupted (5,817 tokens against llama-server).
  it('sends max_tokens 256 to a remote endpoint when neither the author nor the call sets it', async () => {
    const ep = await endpoints.add({ name: 'lab', baseUrl: server.baseUrl });
    const muse = authors.createModelAuthor({ name: 'Muse', provider: `endpoint:${ep.id}`, model: 'fake-model' });
    const id = await drain(generateWithAuthor({ authors, generations, providers }, { authorId: muse.id, prompt: 'x' }));
    expect(server.requests.at(-1)!.body).toMatchObject({ max_tokens: 256 });
    expect(generations.get(id)!.settings).toEqual({ maxTokens: 256 });
    await drain(
      generateWithAuthor(
        { authors, generations, providers },
        { authorId: muse.id, prompt: 'x', mode: 'completion', settings: { maxTokens: 12 } },
      ),
    );
    expect(server.requests.at(-1)!.body).toMatchObject({ max_tokens: 12 });
  });

  it.each([0, -1, 2.5, 1e9])('refuses maxTokens %s on authors and calls, sending nothing', async (maxTokens) => {
    const ep = await endpoints.add({ name: 'lab', baseUrl: server.baseUrl });
    const make = () =>
      authors.createModelAuthor({ name: 'M', provider: `endpoint:${ep.id}`, model: 'm', sampling: { maxTokens } });
    expect(make).toThrow(
      expect.objectContaining({ code: 'bad_request', userMessage: expect.stringMatching(/Max tokens/) }),
    );
    const muse = authors.createModelAuthor({ name: 'Muse', provider: `endpoint:${ep.id}`, model: 'fake-model' });
    expect(() => authors.update(muse.id, { sampling: { maxTokens } })).toThrow(/Max tokens/);
    const before = server.requests.length;
    await expect(
      drain(
        generateWithAuthor(
          { authors, generations, providers },
          { authorId: muse.id, prompt: 'x', settings: { maxTokens } },
        ),
      ),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(server.requests.length).toBe(before);
  });

  it('links a contribution event to the generation that wrote it; the link survives a reopen and a deleted row', async () => {
    const ep = await endpoints.add({ name: 'lab', baseUrl: server.baseUrl });
    const muse = authors.createModelAuthor({ name: 'Muse', provider: `endpoint:${ep.id}`, model: 'fake-model' });
    const docs = new DocumentService(store.db);
    const doc = docs.create({ title: 'Story', body: 'It began. ' });
    let text = '';
    const generationId = await drain(
      generateWithAuthor(
        { authors, generations, providers },
        { authorId: muse.id, prompt: 'Go on.', documentId: doc.id },
      ),
      (t) => (text += t),
    );
    expect(generations.get(generationId)).toMatchObject({ authorId: muse.id, documentId: doc.id });
    new ContributionLog(store.db).append([
      {
        documentId: doc.id,
        revision: doc.revision + 1,
        authorId: muse.id,
        operation: 'generate',
        start: doc.body.length,
        inserted: text,
        deleted: '',
        createdAt: Date.now(),
        generationId,
      },
    ]);
    store.close();
    store = openStore({ dataDir });
    const log = new ContributionLog(store.db);
    const events = log.forDocument(doc.id);
    expect(events.map((e) => [e.authorId, e.operation, e.generationId])).toEqual([
      [HUMAN_AUTHOR_ID, 'import', null],
      [muse.id, 'generate', generationId],
    ]);
    expect(events[1]!.inserted).toBe('Once upon a time');
    // Pruning the generation log keeps the text's author and clears only the link.
    store.db.prepare('DELETE FROM generations WHERE id = ?').run(generationId);
    expect(log.forDocument(doc.id)[1]).toMatchObject({ authorId: muse.id, generationId: null });
    // A link to a generation that does not exist is refused, not stored dangling.
    expect(() => log.appendOne({ ...events[1]!, generationId: generationId + 1000 })).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }),
    );
  });
});

describe('migration 0005 on an existing database', () => {
  it('adds a nullable generation link to contribution events and keeps the old ones', () => {
    const dataDir = tempDir('palimpsest-0005-');
    try {
      const old = openStore({ dataDir, migrations: migrations.filter((m) => m.version < 5) });
      // Written the way a version before 0005 wrote it (today's ContributionLog needs the new column).
      const doc = { id: 'doc_old' };
      old.db
        .prepare(`INSERT INTO documents (id, title, body, created_at, updated_at) VALUES (?, 'Old', ?, 0, 0)`)
        .run(doc.id, 'Written before 0005.');
      old.db
        .prepare(
          `INSERT INTO contribution_events (document_id, revision, author_id, operation, start, end, inserted, created_at)
           VALUES (?, 1, 'human:me', 'import', 0, 20, 'Written before 0005.', 0)`,
        )
        .run(doc.id);
      old.close();
      const store = openStore({ dataDir });
      try {
        expect(store.backups).toHaveLength(1);
        const columns = store.db.prepare(`SELECT name, "notnull" FROM pragma_table_info('contribution_events')`).all();
        expect(columns).toContainEqual({ name: 'generation_id', notnull: 0 });
        const [event] = new ContributionLog(store.db).forDocument(doc.id);
        expect(event).toMatchObject({
          authorId: HUMAN_AUTHOR_ID,
          inserted: 'Written before 0005.',
          generationId: null,
        });
        expect(store.db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        store.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Reads a generation to its end; returns the generator's result (the generation id). */
async function drain(gen: AsyncGenerator<GenerationPart, number>, onText?: (t: string) => void): Promise<number> {
  for (;;) {
    const r = await gen.next();
    if (r.done) return r.value;
    if (r.value.type === 'text') onText?.(r.value.text);
  }
}
