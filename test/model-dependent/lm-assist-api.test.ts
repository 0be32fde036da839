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

  it('refuses stories260K at the sanity gate: it never moves a verdict, and nothing is stored', async () => {
    const gate = await api.checks.lmGate({ model: 'stories260K' });
    expect(gate).toMatchObject({ usable: false, referencePerplexity: null });
    expect(gate.parameters).toBeLessThan(1_000_000);
    expect(gate.reason).toMatch(
      /^Not usable for detection: this model has \d+ K parameters; detection needs at least 1\.0 B\.$/,
    );
    const before = (await api.checks.list()).length;
    await expect(api.checks.checkText({ text: STORY, lmModel: 'stories260K' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: gate.reason,
    });
    await expect(api.checks.checkText({ text: SHORT, lmModel: 'stories260K' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await api.checks.list()).toHaveLength(before);
    // Without the model the same text is checked as usual.
    const plain = (await api.checks.checkText({ text: STORY })).items[0]!.result!;
    expect(plain).not.toHaveProperty('lm_assisted');
  });

  it('refuses unknown models with NOT_FOUND, and a model file with no tensors at the gate', async () => {
    await expect(api.checks.checkText({ text: STORY, lmModel: 'no-such-model' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no-such-model'),
    });
    await expect(api.checks.checkText({ text: STORY, lmModel: '../outside' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(api.checks.checkText({ text: STORY, lmModel: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // A valid GGUF header with no tensors: listed as installed, but its size cannot be read.
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
      message:
        'Not usable for detection: the size of this model could not be read from its file, so it cannot be checked.',
    });
    expect(await api.checks.list()).toHaveLength(before); // nothing stored for a failed check
  });
});
