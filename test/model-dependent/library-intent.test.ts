/**
 * The library's intent summary written by a model author on the real local engine: stories260K
 * (llama2.c → GGUF through `llm.importModel`) cannot follow the format (its output is a children's
 * story), so this checks the plumbing: the generation runs and is recorded, and `intent()` returns
 * either a parsed model summary or term statistics with the fallback notice — never an error.
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
  console.warn(`library intent test skipped: ${modelDir} not found (set PALIMPSEST_SHARED to the shared folder)`);

describe.skipIf(!available)('library intent by a local model author', () => {
  let app: App;
  let api: ReturnType<typeof createLocalCaller>;

  beforeAll(async () => {
    const dir = tempDir();
    const refs = join(dir, 'refs');
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

  it('asks the author once per log version and never fails the intent', async () => {
    const model = await api.llm.importModel({ path: join(modelDir, 'stories260K.bin') });
    const author = await api.llm.createAuthor({ name: 'Tiny', provider: 'local', model: model.id });
    const [cat] = (await api.library.search({ query: 'cat ball', k: 1 })).hits;
    await api.library.curate({ query: 'cat ball', chunkId: cat!.id, action: 'pin' });
    expect(await api.library.setPersonalization({ intentAuthorId: author.id })).toMatchObject({
      intentAuthorId: author.id,
    });
    expect((await api.library.personalization()).intentAuthorId).toBe(author.id);
    const intent = await api.library.intent();
    if (intent.source === 'model') {
      expect(intent.author).toBe('Tiny');
      expect(intent.terms.length).toBeGreaterThan(0);
    } else {
      expect(intent.notice).toMatch(/^The model author could not summarise your curation \(Tiny: .+\); using term/);
      expect(intent.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['little']));
    }
    const generations = await api.llm.generations({ authorId: author.id });
    expect(generations).toHaveLength(1);
    // Cached: a second read and a personal search do not generate again.
    await api.library.intent({ query: 'cat' });
    const personal = await api.library.search({ query: 'cat', retriever: 'personal', k: 2 });
    expect(personal.hits[0]!.doc).toBe('cat.txt');
    expect(await api.llm.generations({ authorId: author.id })).toHaveLength(1);
  }, 120_000);
});
