import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createDetectorPool, type DetectorPool } from './detector-pool';
import { decodePayload, encodePayload, toErrorData } from './detector-protocol';
import { hasShippedModel, MODEL_SKIP_REASON, SAMPLE_GENERATED } from './test-fixtures';

describe('detector protocol', () => {
  it('round-trips payloads through a transferable buffer', () => {
    const value = { a: [1, 2, 3], s: 'é ✓ 文' };
    const buf = encodePayload(value);
    expect(buf).toBeInstanceOf(ArrayBuffer);
    expect(decodePayload(buf)).toEqual(value);
  });

  it('keeps DetectionError codes and wraps anything else as internal', () => {
    expect(toErrorData({ code: 'empty_text', userMessage: 'The text is empty.', details: {} })).toEqual({
      code: 'empty_text',
      userMessage: 'The text is empty.',
      details: {},
    });
    expect(toErrorData(new Error('boom'))).toMatchObject({ code: 'internal', details: { message: 'boom' } });
  });
});

describe('DetectorPool (worker thread)', () => {
  let pool: DetectorPool | null = null;
  afterEach(async () => {
    await pool?.dispose();
    pool = null;
  });

  it('reports a missing model as data from the worker, and retries on the next request', async () => {
    pool = createDetectorPool({ modelsDir: tempDir(), mode: 'worker' });
    expect(pool.mode).toBe('worker');
    await expect(pool.detectMany(['Some text to score.'])).rejects.toMatchObject({
      name: 'DetectionError',
      code: 'model_missing',
    });
    await expect(pool.defaults()).rejects.toMatchObject({ code: 'model_missing' });
  });

  it('rejects pending and later requests after dispose', async () => {
    pool = createDetectorPool({ modelsDir: tempDir(), mode: 'worker' });
    const pending = pool.defaults();
    await pool.dispose();
    expect(pool.disposed).toBe(true);
    await expect(pending).rejects.toMatchObject({ code: expect.stringMatching(/disposed|model_missing/) });
    await expect(pool.detectMany(['x'])).rejects.toMatchObject({ code: 'disposed' });
  });

  it('runs in-process when asked, with the same contract', async () => {
    pool = createDetectorPool({ modelsDir: tempDir(), mode: 'in-process' });
    expect(pool.mode).toBe('in-process');
    await expect(pool.detectMany(['Some text.'])).rejects.toMatchObject({ code: 'model_missing' });
  });
});

describe.skipIf(!hasShippedModel)(`DetectorPool with the shipped model${MODEL_SKIP_REASON}`, () => {
  it('scores in the worker exactly as in-process, with per-item errors', async () => {
    const worker = createDetectorPool({ mode: 'worker' });
    const local = createDetectorPool({ mode: 'in-process' });
    try {
      const [a, empty] = await worker.detectMany([SAMPLE_GENERATED, '   ']);
      const [b] = await local.detectMany([SAMPLE_GENERATED]);
      expect(a).toEqual(b);
      expect(empty).toMatchObject({ name: 'DetectionError', code: 'empty_text' });
      const d = await worker.defaults();
      expect(d.threshold).toBeGreaterThan(0);
    } finally {
      await worker.dispose();
      await local.dispose();
    }
  });
});
