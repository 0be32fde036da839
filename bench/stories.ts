/**
 * Stories benchmarks on stories260K (local engine, full-context mode, 5 authors on one model):
 * - stories.kv_reuse_ttft: median TTFT of parts 2..5 as written (one KV sequence per story, so a
 *   part only evaluates the previous part's tail and its own header) vs the same prompts
 *   re-prefilled from an empty sequence (x = baseline / value; goal ≥ 4.7).
 * - stories.prefill_reused: share of prompt tokens taken from the cache (baseline 0, no reuse;
 *   x = tokens a re-prefill evaluates / tokens evaluated with reuse; goal share ≥ 0.8).
 */
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalCaller } from '../src-main/api/router';
import { createApp } from '../src-main/app';
import { buildPartPrompt } from '../src-main/stories/generation/part-prompt';
import { median, report } from './util';

const STORIES = 4;

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
      const personas = story.parts.map((p) => `${p.authorName} tells it.`);
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
          persona: personas[part.index]!,
          previous: story.parts.slice(0, part.index).map((p, j) => ({ text: p.text, persona: personas[j]! })),
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
  } finally {
    await app.dispose();
  }
}
