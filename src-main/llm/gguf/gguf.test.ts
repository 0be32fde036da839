import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LlmError } from '../errors';
import { GgmlType, readGgufInfo, writeGguf, type GgufWriteTensor } from './index';

function f32Tensor(name: string, dims: number[], fill: (i: number) => number): GgufWriteTensor {
  const n = dims.reduce((a, b) => a * b, 1);
  return {
    name,
    dims,
    type: GgmlType.F32,
    read: async () => new Uint8Array(Float32Array.from({ length: n }, (_, i) => fill(i)).buffer),
  };
}

async function expectLlmError(promise: Promise<unknown>, code: string): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(LlmError.isInstance(error), `expected LlmError(${code}), got ${String(error)}`).toBe(true);
  expect((error as LlmError).code).toBe(code);
  return error as LlmError;
}

describe('GGUF writer and reader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'palimpsest-gguf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips metadata and tensor infos, aligning tensor data to 32 bytes', async () => {
    const path = join(dir, 'm.gguf');
    await writeGguf(
      path,
      [
        { key: 'general.architecture', type: 'string', value: 'llama' },
        { key: 'general.name', type: 'string', value: 'tiny' },
        { key: 'llama.context_length', type: 'u32', value: 128 },
        { key: 'llama.attention.layer_norm_rms_epsilon', type: 'f32', value: 1e-5 },
        { key: 'flag', type: 'bool', value: true },
        { key: 'tokenizer.ggml.tokens', type: 'string[]', value: ['<unk>', '▁a'] },
        { key: 'tokenizer.ggml.scores', type: 'f32[]', value: [0, -1.5] },
        { key: 'big', type: 'i32[]', value: Int32Array.from({ length: 100 }, (_, i) => i) },
      ],
      [f32Tensor('a', [3], (i) => i), f32Tensor('b', [2, 5], (i) => -i)],
    );
    const info = await readGgufInfo(path);
    expect(info).toMatchObject({ version: 3, alignment: 32, architecture: 'llama', name: 'tiny', contextLength: 128 });
    expect(info.metadata['flag']).toBe(true);
    expect(info.metadata['tokenizer.ggml.tokens']).toEqual(['<unk>', '▁a']);
    expect(info.metadata['llama.attention.layer_norm_rms_epsilon']).toBeCloseTo(1e-5);
    expect(info.metadata['big']).toEqual({ truncatedArray: true, itemType: 5, length: 100 });
    expect(info.tensors).toEqual([
      { name: 'a', dims: [3], type: 0, offset: 0 },
      { name: 'b', dims: [2, 5], type: 0, offset: 32 },
    ]);
    expect(info.dataOffset % 32).toBe(0);
    const bytes = readFileSync(path);
    expect(bytes.readFloatLE(info.dataOffset + 32 + 4 * 4)).toBe(-4);
  });

  it('rejects a missing file as model_missing', async () => {
    await expectLlmError(readGgufInfo(join(dir, 'absent.gguf')), 'model_missing');
  });

  it('rejects a non-GGUF file as invalid_model', async () => {
    const path = join(dir, 'x.gguf');
    writeFileSync(path, 'this is not a model at all, just text');
    const e = await expectLlmError(readGgufInfo(path), 'invalid_model');
    expect(e.details['reason']).toMatch(/magic/);
  });

  it('rejects a GGUF truncated in its tensor data or in its header', async () => {
    const path = join(dir, 'm.gguf');
    await writeGguf(
      path,
      [{ key: 'general.architecture', type: 'string', value: 'llama' }],
      [f32Tensor('w', [64, 64], () => 1)],
    );
    const full = readFileSync(path);
    writeFileSync(path, full.subarray(0, full.length - 100));
    expect((await expectLlmError(readGgufInfo(path), 'invalid_model')).details['reason']).toMatch(/truncated/);
    writeFileSync(path, full.subarray(0, 40));
    expect((await expectLlmError(readGgufInfo(path), 'invalid_model')).details['reason']).toMatch(/truncated/);
  });

  it('rejects unsupported versions', async () => {
    const path = join(dir, 'm.gguf');
    await writeGguf(path, [], []);
    const bytes = readFileSync(path);
    bytes.writeUInt32LE(99, 4);
    writeFileSync(path, bytes);
    expect((await expectLlmError(readGgufInfo(path), 'invalid_model')).details['reason']).toMatch(/version 99/);
  });
});
