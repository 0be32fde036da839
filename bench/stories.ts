/**
 * Stories benchmarks on stories260K (local engine, full-context mode, 5 authors on one model):
 * - stories.kv_reuse_ttft: median TTFT of parts 2..5 as written (one KV sequence per story, so a
 *   part only evaluates the previous part's tail and its own header) vs the same prompts
 *   re-prefilled from an empty sequence (x = baseline / value; goal ≥ 4.7).
 * - stories.prefill_reused: share of prompt tokens taken from the cache (baseline 0, no reuse;
 *   x = tokens a re-prefill evaluates / tokens evaluated with reuse; goal share ≥ 0.8).
 * - stories.batch: stories/min writing BATCH_STORIES such stories with the KV sequence shared vs
 *   with every part re-prefilled (a StoryService of the bench's own whose provider gives each
 *   request a fresh cacheKey, so the engine recycles a cleared sequence for it; the app is not
 *   changed). Stories alternate between the two so background load hits both alike.
 */
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalCaller } from '../src-main/api/router';
import { createApp, type App } from '../src-main/app';
import type { LlmProvider } from '../src-main/llm/provider';
import type { StoryConfigInput } from '../src-main/stories/common/contract';
import { buildPartPrompt } from '../src-main/stories/generation/part-prompt';
import { resolveStoryConfig } from '../src-main/stories/presets';
import { StoryService } from '../src-main/stories/story-service';
import { median, report } from './util';

const STORIES = 4;
const BATCH_STORIES = 4;

export async function run(): Promise<void> {
  const shared = process.env.PALIMPSEST_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
  const modelDir = join(shared, 'models/stories260K');
  if (!existsSync(join(modelDir, 'stories260K.bin'))) {
    process.stderr.write(`bench stories: ${modelDir} not found, skipped\n`);
    return;
  }
  const app = createApp({ dataDir: mkdtempSync(join(tmpdir(), 'palimpsest-bench-stories-')), startJobs: false });
  try {
    const api = createLocalCaller({ app, transport: 'local' });
    const model = await api.llm.importModel({ path: join(modelDir, 'stories260K.bin') });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await api.llm.createAuthor({
        name: `Teller ${i + 1}`,
        provider: 'local',
        model: model.id,
        systemPrompt: `Teller ${i + 1} tells it.`,
      });
      ids.push(a.id);
    }
    app.jobs.start();
    const config = { preset: 'custom', context: 'full', wordsPerPart: 20, minWords: 0, maxTokens: 48 } as const;
    const reusedTtft: number[] = [];
    const freshTtft: number[] = [];
    let promptTokens = 0;
    let reusedTokens = 0;
    const provider = await app.llm.resolveProvider('local');
    for (let s = 0; s < STORIES; s++) {
      const { storyId, jobId } = await api.stories.run({
        prompt: 'A little girl finds a red ball.',
        authorIds: ids,
        config: { ...config, seed: s },
      });
      await app.jobs.whenDone(jobId);
      const story = await api.stories.get({ id: storyId });
      const personas = story.authors.map((a) => `${a.name} tells it.`);
      for (const part of story.parts) {
        promptTokens += part.promptTokens;
        reusedTokens += part.reusedTokens;
        if (part.index === 0) continue; // nothing earlier to reuse, and it includes the model load
        reusedTtft.push(part.timeToFirstTokenMs ?? 0);
        const prompt = buildPartPrompt({
          config: story.config,
          storyPrompt: story.prompt,
          index: part.index,
          total: story.parts.length,
          personas,
          previous: story.parts.slice(0, part.index).map((p) => ({ text: p.text })),
        });
        // A fresh key each time: the pool recycles (clears) a sequence, so the whole prompt is evaluated.
        for await (const g of provider.generate({
          kind: 'completion',
          model: model.id,
          prompt,
          maxTokens: 1,
          temperature: 0,
          cacheKey: `fresh:${s}:${part.index}`,
        })) {
          if (g.type === 'finish') freshTtft.push(g.timings.timeToFirstTokenMs);
        }
      }
    }
    const value = median(reusedTtft);
    const baseline = median(freshTtft);
    report({
      bench: 'stories.kv_reuse_ttft',
      value,
      unit: 'ms',
      baseline: 're-prefill from an empty sequence',
      baseline_value: baseline,
      x: baseline / value,
    });
    const share = reusedTokens / promptTokens;
    report({
      bench: 'stories.prefill_reused',
      value: share,
      unit: 'share',
      baseline: 'no reuse',
      baseline_value: 0,
      x: 1 / Math.max(1e-9, 1 - share),
    });
    await batchRates(app, ids, config);
  } finally {
    await app.dispose();
  }
}

/** stories.batch: stories/min with the story's KV sequence shared vs every part re-prefilled. */
async function batchRates(app: App, authorIds: string[], input: StoryConfigInput): Promise<void> {
  let fresh = 0;
  /** The local provider, but each request on a KV sequence of its own: nothing is reused. */
  const noReuse = (inner: LlmProvider): LlmProvider => ({
    id: inner.id,
    generate: (request, signal) => inner.generate({ ...request, cacheKey: `bench-fresh:${fresh++}` }, signal),
    listModels: (signal) => inner.listModels(signal),
    dispose: async () => {}, // the app owns the provider
  });
  const prefilling = new StoryService({
    db: app.store.db,
    documents: app.documents,
    authoring: app.authoring,
    llm: () => ({
      authors: app.llm.authors,
      generations: app.llm.generations,
      resolveProvider: async (ref) => noReuse(await app.llm.resolveProvider(ref)),
    }),
  });
  const authors = app.stories.resolveAuthors(authorIds);
  const ms = { reuse: 0, prefill: 0 };
  for (let s = 0; s < BATCH_STORIES; s++) {
    for (const [side, service] of [
      ['reuse', app.stories],
      ['prefill', prefilling],
    ] as const) {
      const config = resolveStoryConfig({ ...input, seed: 100 + s });
      const story = service.create({ prompt: 'A boy and his dog find a map.', authors, config });
      const t0 = performance.now();
      const outcome = await service.write(story.id);
      ms[side] += performance.now() - t0;
      if (outcome.status !== 'done') throw new Error(`stories.batch: a story ended ${outcome.status}`);
    }
  }
  const perMin = (total: number): number => (BATCH_STORIES * 60_000) / total;
  report({
    bench: 'stories.batch',
    value: perMin(ms.reuse),
    unit: 'stories/min',
    baseline: 'every part re-prefilled',
    baseline_value: perMin(ms.prefill),
    x: ms.prefill / ms.reuse,
  });
}
