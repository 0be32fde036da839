import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { createLocalCaller } from '../../src-main/api/router';
import type { SuggestEvent } from '../../src-main/authoring/operations';
import { HUMAN_AUTHOR_ID } from '../../src-main/authorship/common';
import type { CurationEvent } from '../../src-main/library/common/contract';
import {
  startFakeOpenAiServer,
  writeSseStream,
  type FakeOpenAiServer,
} from '../../src-main/llm/openai/fake-openai-server';
import { tempDir } from '../helpers/temp-dir';

const FILES: Record<string, string> = {
  'bees.txt':
    'Honey bees live in colonies. The queen lays eggs while worker bees gather nectar and pollen from flowers.\n\n' +
    'Bees make honey by evaporating nectar in the hive; a colony stores honey for the winter.',
  'rivers.md': '# Rivers\n\nA river carries water and sediment to the sea. Floods deposit silt on the plain.',
  'trains.txt': 'Steam trains ran on coal. The locomotive pulled carriages along iron rails between cities.',
};

/** Curation, the personal retriever and pinned passages in an LLM operation, through the API. */
describe('library curation through the API', () => {
  let app: App;
  let api: ReturnType<typeof createLocalCaller>;
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    const dir = tempDir();
    const docs = path.join(dir, 'docs');
    fs.mkdirSync(docs);
    for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(docs, name), text);
    app = createApp({ dataDir: path.join(dir, 'data'), startJobs: false });
    api = createLocalCaller({ app, transport: 'local' });
    const { jobId } = await api.library.add({ paths: [docs] });
    app.jobs.start();
    expect((await app.jobs.whenDone(jobId)).status).toBe('succeeded');
    server = await startFakeOpenAiServer();
  });
  afterAll(async () => {
    await app?.dispose();
    await server?.close();
  });

  const hitsFor = async (query: string, retriever: 'hybrid' | 'personal' = 'hybrid', includeExcluded = false) =>
    (await api.library.search({ query, retriever, k: 10, includeExcluded })).hits;

  it('logs pins, excludes and ratings, applies them to hits, and exports the log as JSONL', async () => {
    const [bee] = await hitsFor('honey bees');
    expect(bee!.doc).toBe('bees.txt');
    const river = (await hitsFor('river water')).find((h) => h.doc === 'rivers.md')!;
    await api.library.curate({ query: 'honey bees', chunkId: bee!.id, action: 'pin', rank: 1, retriever: 'hybrid' });
    await api.library.curate({ query: 'water', chunkId: river.id, action: 'exclude', rank: 1, retriever: 'hybrid' });
    await api.library.curate({ query: 'honey bees', chunkId: bee!.id, action: 'rate', value: 5 });
    await api.library.curate({ query: 'honey bees', action: 'rewrite', value: 'bee colonies' });
    await expect(api.library.curate({ query: 'x', chunkId: 999_999, action: 'pin' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(api.library.curate({ query: 'x', chunkId: bee!.id, action: 'rate', value: 9 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });

    const after = await hitsFor('water sea river');
    expect(after.some((h) => h.id === river.id)).toBe(false); // excluded: dropped
    expect((await hitsFor('water sea river', 'hybrid', true)).find((h) => h.id === river.id)).toMatchObject({
      excluded: true,
    });
    expect((await hitsFor('honey')).find((h) => h.id === bee!.id)).toMatchObject({ pinned: true, rating: 5 });

    const log = await api.library.curationLog({ limit: 2 });
    expect(log.total).toBe(4);
    expect(log.events.map((e) => e.action)).toEqual(['rewrite', 'rate']);
    const exported = await api.library.exportCuration();
    expect(exported.fileName).toMatch(/\.jsonl$/);
    const lines = exported.content
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as CurationEvent);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      query: 'honey bees',
      action: 'pin',
      chunkId: bee!.id,
      doc: 'bees.txt',
      chunk: bee!.chunk,
      rank: 1,
      retriever: 'hybrid',
    });
    expect(typeof lines[0]!.at).toBe('number');
    expect(lines[3]).toMatchObject({ action: 'rewrite', chunkId: null, value: 'bee colonies' });

    expect((await api.library.pinned()).map((p) => [p.doc, p.query])).toEqual([['bees.txt', 'honey bees']]);
    const intent = await api.library.intent();
    expect(intent.basis).toBe(2);
    expect(intent.terms.length).toBeGreaterThan(0);

    const personal = await api.library.search({ query: 'honey bees', retriever: 'personal', k: 5 });
    expect(personal.hits[0]!.id).toBe(bee!.id);
    expect(personal.hits[0]!.scores.personal).toBeTypeOf('number');
    const settings = await api.library.setPersonalization({ enabled: false });
    expect(settings.enabled).toBe(false);
    expect((await api.library.search({ query: 'honey', retriever: 'personal' })).notices.join(' ')).toMatch(/off/);
    await api.library.setPersonalization({ enabled: true });
    expect((await api.library.personalization()).model?.labelled).toBeGreaterThan(0);
  });

  it('applies curate lines by file name and reports bad lines with their numbers', async () => {
    const r = await api.library.curateLines({
      lines: [
        JSON.stringify({ query: 'steam locomotive', doc: 'trains.txt', action: 'pin' }),
        'not json',
        JSON.stringify({ query: 'x', doc: 'nope.txt', action: 'pin' }),
        '',
        JSON.stringify({ query: 'x', doc: 'trains.txt', chunk: 7, action: 'exclude' }),
        JSON.stringify({ query: 'bees', doc: 'bees.txt', action: 'rate' }),
        JSON.stringify({ query: 'bees', doc: 'bees.txt', chunk: 0, action: 'rate', value: 2 }),
      ],
    });
    expect(r.applied).toBe(2);
    expect(r.lines).toBe(6);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 5, 6]);
    expect(r.errors[1]!.error).toMatch(/nope\.txt/);
    expect(r.errors[2]!.error).toMatch(/no chunk 7/);
    expect(r.errors[3]!.error).toMatch(/value/);
  });

  it('gives pinned passages to an LLM operation, bounded, shown first, cited in provenance and the report', async () => {
    const ep = await api.llm.addEndpoint({ name: 'lab', baseUrl: server.baseUrl });
    const author = (
      await api.llm.createAuthor({ name: 'Lab model', provider: `endpoint:${ep.id}`, model: 'fake-model' })
    ).id;
    const docId = (await api.documents.create({ title: 'Essay' })).id;
    await api.authoring.applyEdits({
      documentId: docId,
      edits: [{ author: HUMAN_AUTHOR_ID, kind: 'human', operation: 'type', from: 0, to: 0, insert: 'Bees are busy.' }],
    });
    server.handle((_req, res) => writeSseStream(res, [' They', ' make', ' honey.']));
    const events: SuggestEvent[] = [];
    for await (const e of await api.authoring.suggest({
      documentId: docId,
      authorId: author,
      operation: 'continue',
      from: 14,
      to: 14,
      usePinned: true,
    }))
      events.push(e);
    const context = events[0]!;
    expect(context).toMatchObject({ type: 'context' });
    if (context.type !== 'context') return;
    // Pinned newest first: trains.txt (the curate lines above), then bees.txt.
    expect(context.description).toMatch(/, plus 2 library passages \(\d+ words: trains\.txt #1, bees\.txt #1\)\.$/);
    expect(context.passages).toMatchObject([
      { doc: 'trains.txt', chunk: 0 },
      { doc: 'bees.txt', chunk: 0 },
    ]);
    expect(context.passages![1]!.textSha256).toMatch(/^[0-9a-f]{64}$/);
    const sent = server.requests.at(-1)!.body as { messages: Array<{ content: string }> };
    expect(sent.messages.at(-1)!.content).toContain('<reference n="2" source="bees.txt #1">');
    expect(sent.messages.at(-1)!.content).toContain('Honey bees live in colonies.');
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    await api.authoring.resolveSuggestion({ documentId: docId, suggestionId: done.suggestionId, action: 'accept' });

    const [s] = await api.authoring.suggestions({ documentId: docId, status: 'accepted' });
    expect(s!.passages).toMatchObject([
      { doc: 'trains.txt' },
      { doc: 'bees.txt', textSha256: context.passages![1]!.textSha256 },
    ]);
    const refs = await api.authoring.references({ documentId: docId });
    expect(refs).toMatchObject([
      { doc: 'trains.txt', chunk: 0 },
      {
        doc: 'bees.txt',
        chunk: 0,
        uses: [{ suggestionId: done.suggestionId, operation: 'continue', author: 'Lab model' }],
      },
    ]);
    const html = Buffer.from(
      (await api.authoring.report({ documentId: docId, format: 'html' })).base64,
      'base64',
    ).toString();
    expect(html).toContain('<h2>References</h2>');
    expect(html).toContain('<strong>bees.txt</strong>, passage 1: “Honey bees live in colonies.');
    const pdf = await api.authoring.report({ documentId: docId, format: 'pdf' });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    // Chosen passages are bounded too: an unknown chunk id alone is refused before the model runs.
    await expect(
      (async () => {
        for await (const e of await api.authoring.suggest({
          documentId: docId,
          authorId: author,
          operation: 'continue',
          from: 0,
          to: 0,
          passages: [999_999],
        }))
          if (e.type === 'error') throw Object.assign(new Error(e.message), { code: e.code });
      })(),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });
});
