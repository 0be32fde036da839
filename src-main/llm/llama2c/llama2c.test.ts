import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LlmError } from '../errors';
import { readGgufInfo } from '../gguf';
import { computeLayout, LLAMA2C_MAGIC, type Llama2cConfig } from './checkpoint';
import { convertLlama2cToGguf } from './index';

/** A tiny synthetic llama2.c model: every float is its index in the file, so slices are traceable. */
const CONFIG: Llama2cConfig = {
  version: 0,
  dim: 8,
  hiddenDim: 12,
  nLayers: 2,
  nHeads: 2,
  nKvHeads: 1,
  vocabSize: 260,
  seqLen: 16,
  sharedClassifier: true,
};

function writeCheckpoint(path: string, config: Llama2cConfig): void {
  const layout = computeLayout(config);
  const buf = Buffer.alloc(layout.fileSize);
  const header = [
    config.dim,
    config.hiddenDim,
    config.nLayers,
    config.nHeads,
    config.nKvHeads,
    config.sharedClassifier ? config.vocabSize : -config.vocabSize,
    config.seqLen,
  ];
  header.forEach((v, i) => buf.writeInt32LE(v, i * 4));
  for (let off = 28, i = 0; off < buf.length; off += 4, i++) buf.writeFloatLE(i, off);
  writeFileSync(path, buf);
}

/** The same weights as `v0` (a v0 file's bytes) in export.py's version 1 layout. */
function toVersion1(v0: Buffer, config: Llama2cConfig): Buffer {
  const from = computeLayout({ ...config, version: 0 });
  const to = computeLayout({ ...config, version: 1 });
  const out = Buffer.alloc(to.fileSize);
  out.writeUInt32LE(LLAMA2C_MAGIC, 0);
  out.writeInt32LE(1, 4);
  const params = [
    config.dim,
    config.hiddenDim,
    config.nLayers,
    config.nHeads,
    config.nKvHeads,
    config.vocabSize,
    config.seqLen,
  ];
  params.forEach((v, i) => out.writeInt32LE(v, 8 + i * 4));
  out.writeUInt8(config.sharedClassifier ? 1 : 0, 36);
  const keys = [
    'tokenEmbedding',
    'rmsAtt',
    'wq',
    'wk',
    'wv',
    'wo',
    'rmsFfn',
    'w1',
    'w2',
    'w3',
    'rmsFinal',
    'wcls',
  ] as const;
  for (const k of keys) {
    const a = from[k];
    const b = to[k];
    if (a && b) v0.copy(out, b.offset, a.offset, a.offset + a.floats * 4);
  }
  return out;
}

/** llama2.c tokenizer.bin: <unk>, "\n<s>\n", "\n</s>\n", 256 byte tokens, then " the". */
function writeTokenizer(path: string): void {
  const pieces = [
    '<unk>',
    '\n<s>\n',
    '\n</s>\n',
    ...Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`),
    ' the',
  ];
  const parts: Buffer[] = [Buffer.from(Int32Array.of(8).buffer)];
  pieces.forEach((p, i) => {
    const bytes = Buffer.from(p, 'utf8');
    const head = Buffer.alloc(8);
    head.writeFloatLE(-i, 0);
    head.writeInt32LE(bytes.length, 4);
    parts.push(head, bytes);
  });
  writeFileSync(path, Buffer.concat(parts));
}

describe('convertLlama2cToGguf', () => {
  let dir: string;
  let checkpoint: string;
  let tokenizer: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'palimpsest-llama2c-'));
    checkpoint = join(dir, 'model.bin');
    tokenizer = join(dir, 'tok.bin');
    writeCheckpoint(checkpoint, CONFIG);
    writeTokenizer(tokenizer);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes llama metadata, an SPM vocabulary and F32 tensors with ggml dimension order', async () => {
    const output = join(dir, 'model.gguf');
    const result = await convertLlama2cToGguf({ checkpoint, tokenizer, output });
    expect(result.config).toEqual(CONFIG);
    const info = await readGgufInfo(output, { maxArrayLength: 1000 });
    expect(info.metadata).toMatchObject({
      'general.architecture': 'llama',
      'llama.context_length': 16,
      'llama.embedding_length': 8,
      'llama.block_count': 2,
      'llama.feed_forward_length': 12,
      'llama.attention.head_count': 2,
      'llama.attention.head_count_kv': 1,
      'llama.rope.dimension_count': 4,
      'tokenizer.ggml.model': 'llama',
      'tokenizer.ggml.bos_token_id': 1,
      'tokenizer.ggml.eos_token_id': 2,
      'tokenizer.ggml.unknown_token_id': 0,
    });
    expect(info.metadata['llama.attention.layer_norm_rms_epsilon']).toBeCloseTo(1e-5);
    const tokens = info.metadata['tokenizer.ggml.tokens'] as string[];
    expect(tokens.slice(0, 4)).toEqual(['<unk>', '<s>', '</s>', '<0x00>']);
    expect(tokens[259]).toBe('\u2581the');
    const types = info.metadata['tokenizer.ggml.token_type'] as number[];
    expect([types[0], types[1], types[2], types[3], types[259]]).toEqual([2, 3, 3, 6, 1]);

    const byName = new Map(info.tensors.map((t) => [t.name, t]));
    expect(info.tensors).toHaveLength(1 + 2 * 9 + 2);
    expect(byName.get('token_embd.weight')?.dims).toEqual([8, 260]);
    expect(byName.get('blk.1.attn_k.weight')?.dims).toEqual([8, 4]);
    expect(byName.get('blk.0.ffn_gate.weight')?.dims).toEqual([8, 12]);
    expect(byName.get('blk.0.ffn_down.weight')?.dims).toEqual([12, 8]);
    expect(byName.get('output.weight')?.dims).toEqual([8, 260]);

    // Data is copied verbatim: the first float of layer 1's wk is its index in the checkpoint.
    const bytes = readFileSync(output);
    const layout = computeLayout(CONFIG);
    const firstFloat = (name: string): number => bytes.readFloatLE(info.dataOffset + byName.get(name)!.offset);
    expect(firstFloat('blk.1.attn_k.weight')).toBe((layout.wk.offset - 28) / 4 + 8 * 4);
    // Shared classifier: output.weight is a copy of the embeddings.
    expect(firstFloat('output.weight')).toBe(firstFloat('token_embd.weight'));
  });

  it('converts an export.py version 1 file to the same GGUF as the legacy file', async () => {
    const v1 = join(dir, 'model-v1.bin');
    writeFileSync(v1, toVersion1(readFileSync(checkpoint), CONFIG));
    const a = await convertLlama2cToGguf({ checkpoint, tokenizer, output: join(dir, 'a.gguf'), name: 'm' });
    const b = await convertLlama2cToGguf({ checkpoint: v1, tokenizer, output: join(dir, 'b.gguf'), name: 'm' });
    expect(b.config).toEqual({ ...a.config, version: 1 });
    expect(readFileSync(join(dir, 'b.gguf')).equals(readFileSync(join(dir, 'a.gguf')))).toBe(true);
  });

  it('uses a separate classifier when the checkpoint has one, and rejects the int8 version 2', async () => {
    const unshared = { ...CONFIG, sharedClassifier: false };
    writeCheckpoint(checkpoint, unshared);
    const output = join(dir, 'u.gguf');
    await convertLlama2cToGguf({ checkpoint, tokenizer, output });
    const info = await readGgufInfo(output);
    const wcls = computeLayout(unshared).wcls!;
    const out = info.tensors.find((t) => t.name === 'output.weight')!;
    expect(readFileSync(output).readFloatLE(info.dataOffset + out.offset)).toBe((wcls.offset - 28) / 4);

    const v2 = Buffer.alloc(4096);
    v2.writeUInt32LE(LLAMA2C_MAGIC, 0);
    v2.writeInt32LE(2, 4);
    writeFileSync(checkpoint, v2);
    const error = await convertLlama2cToGguf({ checkpoint, tokenizer, output }).catch((e: unknown) => e);
    expect(LlmError.isInstance(error) && error.details['reason']).toMatch(/version 2/);
  });

  it('rejects a truncated checkpoint with invalid_model and leaves no output behind', async () => {
    const full = readFileSync(checkpoint);
    writeFileSync(checkpoint, full.subarray(0, full.length - 4));
    const output = join(dir, 'model.gguf');
    const error = await convertLlama2cToGguf({ checkpoint, tokenizer, output }).catch((e: unknown) => e);
    expect(LlmError.isInstance(error) && error.code).toBe('invalid_model');
    expect((error as LlmError).details['reason']).toMatch(/truncated/);
    expect(existsSync(output)).toBe(false);
  });

  it('rejects a file that is not a llama2.c checkpoint, and a missing one', async () => {
    writeFileSync(checkpoint, Buffer.from('GGUF not really, just some bytes of text'.repeat(10)));
    const error = await convertLlama2cToGguf({ checkpoint, tokenizer, output: join(dir, 'o.gguf') }).catch(
      (e: unknown) => e,
    );
    expect(LlmError.isInstance(error) && error.code).toBe('invalid_model');
    const missing = await convertLlama2cToGguf({
      checkpoint: join(dir, 'nope.bin'),
      tokenizer,
      output: join(dir, 'o.gguf'),
    }).catch((e: unknown) => e);
    expect(LlmError.isInstance(missing) && missing.code).toBe('model_missing');
  });

  it('rejects a truncated tokenizer', async () => {
    writeFileSync(tokenizer, readFileSync(tokenizer).subarray(0, 500));
    const error = await convertLlama2cToGguf({ checkpoint, tokenizer, output: join(dir, 'o.gguf') }).catch(
      (e: unknown) => e,
    );
    expect(LlmError.isInstance(error) && error.code).toBe('invalid_model');
  });
});
