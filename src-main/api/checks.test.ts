import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createApp, type App } from '../app';
import { hasShippedModel, SAMPLE_GENERATED } from '../checks/test-fixtures';
import { createLocalCaller } from './router';

/** The checks API over the in-process caller: validation, error mapping, and the real worker pool. */
describe('checks API', () => {
  let app: App;
  let api: ReturnType<typeof createLocalCaller>;
  beforeAll(() => {
    app = createApp({ dataDir: tempDir() });
    api = createLocalCaller({ app, transport: 'local' });
  });
  afterAll(async () => {
    await app.dispose();
    expect(app.checks.pool.disposed).toBe(true); // the app disposes the detector worker
  });

  it('reports whether a model is installed, and runs detection in a worker thread', async () => {
    const s = await api.checks.status();
    expect(s.modelAvailable).toBe(hasShippedModel);
    expect(s.runsIn).toBe('worker');
    expect(s.activeProfile).toBeNull();
  });

  it('validates inputs: empty text, oversized text, bad ids', async () => {
    await expect(api.checks.checkText({ text: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.checks.checkText({ text: 'x'.repeat(2_000_001) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.checks.get({ id: 'chk_nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.checks.startBatch({ files: [] })).rejects.toBeInstanceOf(TRPCError);
    await expect(api.checks.createProfile({ name: 'x', human: [], llm: [] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it.skipIf(hasShippedModel)('says clearly that the model is missing (no model in models/detect)', async () => {
    await expect(api.checks.checkText({ text: SAMPLE_GENERATED })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringContaining('not installed'),
    });
  });

  it.skipIf(!hasShippedModel)('checks a text with the shipped model and stores it', async () => {
    const d = await api.checks.checkText({ text: SAMPLE_GENERATED });
    const r = d.items[0]!.result!;
    expect(r.caveat.length).toBeGreaterThan(10);
    expect(r.segments.length).toBeGreaterThanOrEqual(1);
    expect((await api.checks.list()).map((c) => c.id)).toContain(d.id);
    const { html } = await api.checks.report({ id: d.id });
    const escaped = r.caveat.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
    expect(html).toContain(escaped);
  });

  it('extracts uploaded text files and refuses unsupported ones by name', async () => {
    const base64 = Buffer.from('Plain text.\n').toString('base64');
    expect(await api.checks.extractFile({ name: 'a.md', base64 })).toEqual({
      text: 'Plain text.\n',
      format: 'markdown',
    });
    await expect(api.checks.extractFile({ name: 'a.exe', base64 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^a\.exe: Unsupported file type/),
    });
  });
});
