/**
 * Stories with stories260K (llama2.c → GGUF through `llm.importModel`) on the real local engine,
 * through the API's local caller: a 3-author story under three personas and seeds, and KV reuse
 * across 5 authors sharing the model in full-context mode. stories260K has a 512-token context
 * (its seq_len), so parts are kept short (a 20-word budget, 40 tokens) to fit 5 turns.
 * Needs the shared models folder: $PALIMPSEST_SHARED (default <repo>/../shared).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCaller } from '../../src-main/api/router';
import { createApp, type App } from '../../src-main/app';
import { tempDir } from '../helpers/temp-dir';

const shared = process.env.PALIMPSEST_SHARED ?? resolve(import.meta.dirname, '../../../shared');
const modelDir = join(shared, 'models/stories260K');
const available = existsSync(join(modelDir, 'stories260K.bin')) && existsSync(join(modelDir, 'tok512.bin'));
if (!available)
  console.warn(`stories tests skipped: ${modelDir} not found (set PALIMPSEST_SHARED to the shared folder)`);

const SMALL = { wordsPerPart: 20, minWords: 5, maxTokens: 40, maxAttempts: 2 } as const;

describe.skipIf(!available)('stories with stories260K on the local engine', () => {
  let app: App;
  let api: ReturnType<typeof createLocalCaller>;
  let authorIds: string[];

  beforeAll(async () => {
    app = createApp({ dataDir: tempDir(), startJobs: false });
    api = createLocalCaller({ app, transport: 'local' });
    const model = await api.llm.importModel({ path: join(modelDir, 'stories260K.bin') });
    const personas = ['Lily tells it.', 'Tom tells it.', 'A cat tells it.', 'A bird tells it.', 'A dog tells it.'];
    authorIds = [];
    for (const [i, persona] of personas.entries()) {
      const a = await api.llm.createAuthor({
        name: `Teller ${i + 1}`,
        provider: 'local',
        model: model.id,
        systemPrompt: persona,
        sampling: { temperature: 0.8 },
      });
      authorIds.push(a.id);
    }
    app.jobs.start();
  });
  afterAll(async () => {
    await app?.dispose();
  });

  const run = async (ids: string[], config: Record<string, unknown>) => {
    const { storyId, jobId } = await api.stories.run({
      prompt: 'A little girl finds a red ball.',
      authorIds: ids,
      config,
    });
    const job = await app.jobs.whenDone(jobId);
    expect(job.status).toBe('succeeded');
    return api.stories.get({ id: storyId });
  };

  it('writes a 3-author story under three personas; the same seed gives the same story', async () => {
    const story = await run(authorIds.slice(0, 3), { ...SMALL, seed: 7 });
    expect(story.status).toBe('done');
    expect(story.parts.map((p) => p.authorId)).toEqual(authorIds.slice(0, 3));
    for (const p of story.parts) {
      expect(p.text.length).toBeGreaterThan(0);
      expect(p.promptTokens).toBeGreaterThan(0);
      expect(p.completionTokens).toBeGreaterThan(0);
    }
    const spans = (await api.authoring.provenance({ documentId: story.documentId })).spans;
    expect(new Set(spans.map((s) => s.authorId))).toEqual(new Set(authorIds.slice(0, 3)));
    const again = await run(authorIds.slice(0, 3), { ...SMALL, seed: 7 });
    expect(again.parts.map((p) => p.text)).toEqual(story.parts.map((p) => p.text));
    const other = await run(authorIds.slice(0, 3), { ...SMALL, seed: 8 });
    expect(other.parts.map((p) => p.text)).not.toEqual(story.parts.map((p) => p.text));
  });

  it('5 authors on one model in full-context mode reuse at least 80% of prompt tokens', async () => {
    const story = await run(authorIds, {
      ...SMALL,
      maxTokens: 48,
      preset: 'custom',
      context: 'full',
      minWords: 0,
      seed: 3,
    });
    expect(story.status).toBe('done');
    const prompt = story.parts.reduce((s, p) => s + p.promptTokens, 0);
    const reused = story.parts.reduce((s, p) => s + p.reusedTokens, 0);
    // Later parts reuse everything but the previous part's trimmed tail and their own header.
    for (const p of story.parts.slice(1)) expect(p.reusedTokens).toBeGreaterThan(0);
    expect(reused / prompt).toBeGreaterThanOrEqual(0.8);
  });
});
