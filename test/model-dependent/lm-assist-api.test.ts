/**
 * LM-assisted text checks through the API (`checks.checkText` with `lmModel`), in-process over the
 * local caller with the real app: the shipped detector in its worker, stories260K imported through
 * `llm.importModel` (llama2.c → GGUF, as the Models view does) and scored on the LLM service's local
 * engine. Needs the shared models folder: $PALIMPSEST_SHARED (default <repo>/../shared), and the
 * shipped detection model. Checks the plumbing only: a 260K-parameter model says nothing about
 * real LLM text.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCaller } from '../../src-main/api/router';
import { createApp, type App } from '../../src-main/app';
import { hasShippedModel, MODEL_SKIP_REASON } from '../../src-main/checks/test-fixtures';
import { writeGguf } from '../../src-main/llm/gguf';
import { tempDir } from '../helpers/temp-dir';
import { STORY } from '../helpers/story-text';

const shared = process.env.PALIMPSEST_SHARED ?? resolve(import.meta.dirname, '../../../shared');
const modelDir = join(shared, 'models/stories260K');
const available = existsSync(join(modelDir, 'stories260K.bin')) && existsSync(join(modelDir, 'tok512.bin'));
if (!available)
  console.warn(`lm-assist API tests skipped: ${modelDir} not found (set PALIMPSEST_SHARED to the shared folder)`);
if (!hasShippedModel) console.warn(`lm-assist API tests${MODEL_SKIP_REASON}`);

const SHORT = 'Once upon a time, there was a little girl named Lily.';

describe.skipIf(!available || !hasShippedModel)('checks.checkText with lmModel (stories260K)', () => {
  let app: App;
  let api: ReturnType<typeof createLocalCaller>;

  beforeAll(async () => {
    app = createApp({ dataDir: tempDir(), startJobs: false });
    api = createLocalCaller({ app, transport: 'local' });
    const model = await api.llm.importModel({ path: join(modelDir, 'stories260K.bin') });
    expect(model.id).toBe('stories260K');
  });
  afterAll(async () => {
    await app?.dispose();
  });

  it('folds stories260K into the verdict, and the check history keeps it with the model', async () => {
    const plain = (await api.checks.checkText({ text: STORY })).items[0]!.result!;
    expect(plain.abstained).toBe(false);
    expect(plain).not.toHaveProperty('lm_assisted');

    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const t0 = performance.now();
    const d = await api.checks.checkText({ text: STORY, lmModel: 'stories260K' });
    const first = performance.now() - t0;
    loop.disable();
    const r = d.items[0]!.result!;
    expect(r).toMatchObject({ lm_assisted: true, lm_model: { id: 'stories260K' }, lm_truncated: false });
    expect(r.lm_features!.tokens).toBeGreaterThan(100);
    for (const k of ['meanLogprob', 'fastDetectGptScore', 'meanEntropy', 'binocularsScore'] as const)
      expect(Number.isFinite(r.lm_features![k])).toBe(true);
    expect(Math.abs(r.lm_logit_shift!)).toBeGreaterThan(0);
    expect(Math.abs(r.lm_logit_shift!)).toBeLessThan(1); // default weight 1 bounds the shift
    expect(Math.sign(r.ai_probability - plain.ai_probability)).toBe(Math.sign(r.lm_logit_shift!));
    expect(r.caveat).toContain("local language model's view");

    // Second check: the engine's copy of the model is already loaded.
    const warmLoop = monitorEventLoopDelay({ resolution: 10 });
    warmLoop.enable();
    const t1 = performance.now();
    const again = (await api.checks.checkText({ text: STORY, lmModel: 'stories260K' })).items[0]!.result!;
    const warm = performance.now() - t1;
    warmLoop.disable();
    expect(again.lm_features).toEqual(r.lm_features); // deterministic
    console.info(
      `lm-assist API: ${r.lm_features!.tokens} tokens; check with LM ${Math.round(first)} ms (scoring ${r.lm_ms} ms, ` +
        `model load included), again ${Math.round(warm)} ms (scoring ${again.lm_ms} ms); ` +
        `event loop max delay ${Math.round(loop.max / 1e6)} ms (first, engine start included), ${Math.round(warmLoop.max / 1e6)} ms (again)`,
    );

    const stored = await api.checks.getItem({ id: d.id, position: 0 });
    expect(stored.result).toEqual(r);
    expect(stored.text).toBe(STORY);
    expect((await api.checks.report({ id: d.id })).html).toContain(
      'LM-assisted (experimental):</b> local model stories260K',
    );
  });

  it('returns a text without a verdict unchanged, with lm_assisted false', async () => {
    const plain = (await api.checks.checkText({ text: SHORT })).items[0]!.result!;
    expect(plain.abstained).toBe(true);
    const r = (await api.checks.checkText({ text: SHORT, lmModel: 'stories260K' })).items[0]!.result!;
    const { lm_assisted, lm_logit_shift, lm_model, ...rest } = r;
    expect({ lm_assisted, lm_logit_shift, lm_model }).toMatchObject({
      lm_assisted: false,
      lm_logit_shift: 0,
      lm_model: { id: 'stories260K' },
    });
    expect(rest).toEqual(plain);
  });

  it('refuses unknown models with NOT_FOUND and reports a model llama.cpp cannot load', async () => {
    await expect(api.checks.checkText({ text: STORY, lmModel: 'no-such-model' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no-such-model'),
    });
    await expect(api.checks.checkText({ text: STORY, lmModel: '../outside' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(api.checks.checkText({ text: STORY, lmModel: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // A valid GGUF header with no tensors: listed as installed, but llama.cpp cannot load it.
    await writeGguf(
      join(app.llm.modelsDir, 'hollow.gguf'),
      [
        { key: 'general.architecture', type: 'string', value: 'llama' },
        { key: 'llama.context_length', type: 'u32', value: 512 },
      ],
      [],
    );
    const before = (await api.checks.list()).length;
    await expect(api.checks.checkText({ text: STORY, lmModel: 'hollow' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'The model could not be loaded: hollow',
    });
    expect(await api.checks.list()).toHaveLength(before); // nothing stored for a failed check
  });
});
