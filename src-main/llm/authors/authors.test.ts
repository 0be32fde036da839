import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store';
import { openFileSecretStore } from '../keys/file-secret-store';
import { startFakeOpenAiServer, writeJson, writeSseStream, type FakeOpenAiServer } from '../openai/fake-openai-server';
import type { GenerationPart } from '../provider';
import { AuthorService, HUMAN_AUTHOR_ID } from './author-service';
import { EndpointRegistry } from './endpoint-registry';
import { generateWithAuthor } from './generate-with-author';
import { ProviderResolver } from './provider-resolver';

describe('authors, endpoints and generations', () => {
  let dataDir: string;
  let store: Store;
  let server: FakeOpenAiServer;
  let authors: AuthorService;
  let endpoints: EndpointRegistry;
  let providers: ProviderResolver;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-authors-'));
    store = openStore({ dataDir });
    server = await startFakeOpenAiServer();
    authors = new AuthorService(store.db);
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

  it('keeps endpoint keys in the SecretStore, never in SQLite', async () => {
    const ep = await endpoints.add({ name: 'lab', baseUrl: server.baseUrl, apiKey: 'sk-very-secret-1234' });
    expect(ep.keyRef).toBe(`endpoint:${ep.id}`);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbBytes = fs.readFileSync(store.dbPath).toString('latin1');
    expect(dbBytes).not.toContain('sk-very-secret-1234');
    expect(await endpoints.key(ep)).toBe('sk-very-secret-1234');
    await endpoints.remove(ep.id);
    expect(await endpoints.secrets.list()).toEqual([]);
  });

  it('renames, re-points and re-pools an endpoint, refusing bad URLs and taken names', async () => {
    const a = await endpoints.add({ name: 'alpha', baseUrl: server.baseUrl });
    await endpoints.add({ name: 'beta', baseUrl: server.baseUrl });
    const moved = endpoints.update(a.id, { name: ' gamma ', baseUrl: 'http://127.0.0.1:9/v1/', pool: 'lab' });
    expect(moved).toMatchObject({ name: 'gamma', baseUrl: 'http://127.0.0.1:9/v1', pool: 'lab' });
    expect(endpoints.update('gamma', { pool: '' }).pool).toBeNull();
    expect(() => endpoints.update(a.id, { name: 'beta' })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => endpoints.update(a.id, { baseUrl: 'ftp://x' })).toThrow(
      expect.objectContaining({ code: 'bad_request' }),
    );
    expect(() => endpoints.update(a.id, { baseUrl: 'http://u:p@h/v1' })).toThrow(/API key field/);
    expect(endpoints.get(a.id)).toMatchObject({ name: 'gamma', baseUrl: 'http://127.0.0.1:9/v1' });
    await endpoints.remove('beta');
    await endpoints.remove('gamma');
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
      { authors, providers },
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
    const [g] = authors.listGenerations({ authorId: muse.id });
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
      for await (const _ of generateWithAuthor({ authors, providers }, { authorId: muse.id, prompt: 'x' })) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: 'auth' });
    server.handle((_req, res) => writeSseStream(res, ['a', 'b', 'c'], { delayMs: 5 }));
    for await (const p of generateWithAuthor({ authors, providers }, { authorId: muse.id, prompt: 'x' })) {
      if (p.type === 'text') break;
    }
    const gens = authors.listGenerations({ authorId: muse.id });
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
      { authors, providers },
      { authorId: muse.id, prompt: 'x', mode: 'completion' },
    ))
      parts.push(p);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    expect(server.requests.at(-1)!.path).toBe('/v1/completions');
  });
});
