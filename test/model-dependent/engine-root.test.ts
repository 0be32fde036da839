/**
 * One local-engine root per process: generating (LlmService), LM-assisted scoring on the service
 * (`scoreText`), and a one-off `scoreText(path)` all load stories260K
 * under the same `Llama`, so node-llama-cpp's `getLlama` runs once. Counted by wrapping the real
 * `getLlama` (vi.mock also catches the engine's dynamic import). Needs the shared models folder:
 * $PALIMPSEST_SHARED (default <repo>/../shared).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { openLmAssist } from '../../src-main/cli/commands/detect-lm';
import { scoreText, sharedLocalEngine } from '../../src-main/llm/local';
import { tempDir } from '../helpers/temp-dir';
import { STORY } from '../helpers/story-text';

const getLlamaCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('node-llama-cpp', async (importOriginal) => {
  const real = await importOriginal<typeof import('node-llama-cpp')>();
  return {
    ...real,
    getLlama: (...args: Parameters<typeof real.getLlama>) => {
      getLlamaCalls.count++;
      return real.getLlama(...args);
    },
  };
});

const shared = process.env.PALIMPSEST_SHARED ?? resolve(import.meta.dirname, '../../../shared');
const modelDir = join(shared, 'models/stories260K');
const available = existsSync(join(modelDir, 'stories260K.bin')) && existsSync(join(modelDir, 'tok512.bin'));
if (!available)
  console.warn(`engine-root test skipped: ${modelDir} not found (set PALIMPSEST_SHARED to the shared folder)`);

describe.skipIf(!available)('the local engine root (stories260K)', () => {
  let app: App;
  beforeAll(() => {
    app = createApp({ dataDir: tempDir(), startJobs: false });
  });
  afterAll(async () => {
    await app?.dispose();
  });

  it('calls getLlama once for generation, scoring and a one-off score (the detect scorer’s gate refuses first)', async () => {
    const model = await app.llm.importModel({ path: join(modelDir, 'stories260K.bin') });
    let text = '';
    for await (const p of app.llm.generate({
      provider: 'local',
      model: model.id,
      mode: 'completion',
      prompt: 'Once upon a time',
      settings: { maxTokens: 8, temperature: 0 },
    }))
      if (p.type === 'text') text += p.text;
    expect(text.length).toBeGreaterThan(0);

    const onService = await app.llm.scoreText(model.id, STORY, { maxTokens: 64 });
    expect(onService.tokens).toBe(64);

    // The CLI's detect scorer refuses this model at the sanity gate before it touches the engine.
    await expect(openLmAssist(model.path, undefined)).rejects.toThrow(/Not usable for detection/);
    const oneOff = await scoreText(model.path, STORY, { maxTokens: 64 });
    // Same model, same text, same root: the same numbers.
    expect(oneOff.logprobs).toEqual(onService.logprobs);

    expect(getLlamaCalls.count).toBe(1);
    expect(sharedLocalEngine().retained).toBe(1); // the service's local provider, until the app is disposed
    await app.llm.dispose();
    expect(sharedLocalEngine().retained).toBe(0);
  });
});
