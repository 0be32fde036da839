import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createApp, type App } from '../app';
import type { SuggestEvent } from '../authoring/operations';
import { HUMAN_AUTHOR_ID } from '../authorship/common';
import { startFakeOpenAiServer, writeSseStream, type FakeOpenAiServer } from '../llm/openai/fake-openai-server';
import { createLocalCaller } from './router';

/** `authoring.suggest` / `resolveSuggestion` / `suggestions` through the local caller, a model author on an endpoint. */
describe('authoring operations API', () => {
  let app: App;
  let server: FakeOpenAiServer;
  let api: ReturnType<typeof createLocalCaller>;
  let docId: string;
  let author: string;
  beforeEach(async () => {
    app = createApp({ dataDir: tempDir(), startJobs: false });
    server = await startFakeOpenAiServer();
    api = createLocalCaller({ app, transport: 'local' });
    const ep = await api.llm.addEndpoint({ name: 'lab', baseUrl: server.baseUrl });
    author = (await api.llm.createAuthor({ name: 'Lab model', provider: `endpoint:${ep.id}`, model: 'fake-model' })).id;
    docId = (await api.documents.create({ title: 'Notes' })).id;
    await api.authoring.applyEdits({
      documentId: docId,
      edits: [{ author: HUMAN_AUTHOR_ID, kind: 'human', operation: 'type', from: 0, to: 0, insert: 'A cat sat here.' }],
    });
  });
  afterEach(async () => {
    await app.dispose();
    await server.close();
  });

  const collect = async (input: Parameters<typeof api.authoring.suggest>[0]) => {
    const events: SuggestEvent[] = [];
    for await (const e of await api.authoring.suggest(input)) events.push(e);
    return events;
  };

  it('suggests over an endpoint, then accepts with the writer’s edit and lists the suggestion', async () => {
    server.handle((_req, res) => writeSseStream(res, ['A', ' dog', ' sat']));
    const events = await collect({ documentId: docId, authorId: author, operation: 'rewrite', from: 0, to: 9 });
    expect(events[0]).toMatchObject({ type: 'context', chars: 15 });
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', text: 'A dog sat', from: 0, to: 9 });
    if (done.type !== 'done') return;
    const sent = server.requests.at(-1)!.body as { messages: Array<{ content: string }> };
    expect(sent.messages.at(-1)!.content).toContain('<passage>\nA cat sat\n</passage>');

    const r = await api.authoring.resolveSuggestion({
      documentId: docId,
      suggestionId: done.suggestionId,
      action: 'accept',
      text: 'A big dog sat',
    });
    expect(r.suggestion).toMatchObject({ status: 'accepted', finalText: 'A big dog sat' });
    const p = await api.authoring.provenance({ documentId: docId });
    expect(p.text).toBe('A big dog sat here.');
    expect(p.head).toBe(r.head);
    expect(p.spans.find((s) => s.start <= 2 && 2 < s.end)).toMatchObject({ kind: 'human' });
    expect(p.spans.find((s) => s.start <= 7 && 7 < s.end)).toMatchObject({ author: 'Lab model', operation: 'rewrite' });
    expect(await api.authoring.suggestions({ documentId: docId })).toMatchObject([{ id: done.suggestionId }]);
    await expect(
      api.authoring.resolveSuggestion({ documentId: docId, suggestionId: done.suggestionId, action: 'reject' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('reports a dead endpoint as an error event, and refuses bad input before streaming', async () => {
    await api.llm.updateEndpoint({ id: (await api.llm.endpoints())[0]!.id, baseUrl: 'http://127.0.0.1:9/v1' });
    const events = await collect({ documentId: docId, authorId: author, operation: 'continue', from: 15, to: 15 });
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'unreachable' });
    await expect(
      collect({ documentId: docId, authorId: author, operation: 'polish', from: 5, to: 2 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      collect({ documentId: docId, authorId: author, operation: 'generate' as 'continue', from: 0, to: 0 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await api.authoring.document({ documentId: docId })).text).toBe('A cat sat here.');
  });
});
