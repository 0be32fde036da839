import { open, stat } from 'node:fs/promises';
import { LlmError } from '../errors';

/** Hyper-parameters from a llama2.c checkpoint header. */
export interface Llama2cConfig {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  seqLen: number;
  /** The classifier shares the embedding table (v0: positive vocab_size; v1: a header flag). */
  sharedClassifier: boolean;
  /** export.py format: 0 = legacy run.c file (7 int32 header), 1 = "ak42" header, float32. */
  version: 0 | 1;
}

/** Byte offset (from the file start) and float count of one weight block in the checkpoint. */
export interface Llama2cBlock {
  offset: number;
  floats: number;
}

/** Where each weight array sits. Per-layer arrays hold all layers back to back. */
export interface Llama2cLayout {
  tokenEmbedding: Llama2cBlock;
  rmsAtt: Llama2cBlock;
  wq: Llama2cBlock;
  wk: Llama2cBlock;
  wv: Llama2cBlock;
  wo: Llama2cBlock;
  rmsFfn: Llama2cBlock;
  w1: Llama2cBlock;
  w2: Llama2cBlock;
  w3: Llama2cBlock;
  rmsFinal: Llama2cBlock;
  /** Absent when the classifier is shared with the embeddings. */
  wcls?: Llama2cBlock;
  /** Total file size the header implies. */
  fileSize: number;
}

/** "ak42" as a little-endian uint32: the magic of export.py's version >= 1 files. */
export const LLAMA2C_MAGIC = 0x616b3432;
const V0_HEADER_BYTES = 28;
const V1_HEADER_BYTES = 256;

/**
 * Reads and checks a llama2.c checkpoint header: the legacy run.c format (v0: 7 int32, then float32
 * weights, including the unused freq_cis tables) or export.py's version 1 (256-byte "ak42" header,
 * float32). The file size must match the header exactly, which rejects truncated files and most
 * files that are not llama2.c checkpoints.
 * @throws LlmError `model_missing` (no file) or `invalid_model` (anything else wrong, including the
 * int8-quantized version 2 export).
 */
export async function readLlama2cCheckpoint(path: string): Promise<{ config: Llama2cConfig; layout: Llama2cLayout }> {
  const size = await stat(path).then(
    (s) => s.size,
    (cause: unknown) => {
      throw new LlmError('model_missing', `llama2.c checkpoint not found: ${path}`, { path }, { cause });
    },
  );
  if (size < V0_HEADER_BYTES) throw invalidCheckpoint(path, 'file is shorter than the header');
  const header = Buffer.alloc(Math.min(size, V1_HEADER_BYTES));
  const file = await open(path, 'r');
  try {
    await file.read(header, 0, header.length, 0);
  } finally {
    await file.close();
  }

  const config = parseHeader(header, path);
  const layout = computeLayout(config);
  if (layout.fileSize !== size) {
    throw invalidCheckpoint(
      path,
      size < layout.fileSize
        ? `file is truncated (${size} of ${layout.fileSize} bytes)`
        : `file is ${size} bytes, header implies ${layout.fileSize}`,
    );
  }
  return { config, layout };
}

function parseHeader(header: Buffer, path: string): Llama2cConfig {
  let version: 0 | 1 = 0;
  let paramsAt = 0;
  if (header.readUInt32LE(0) === LLAMA2C_MAGIC) {
    if (header.length < V1_HEADER_BYTES) throw invalidCheckpoint(path, 'file is shorter than the header');
    const v = header.readInt32LE(4);
    if (v !== 1) throw invalidCheckpoint(path, `export version ${v} is not supported (only float32 versions 0 and 1)`);
    version = 1;
    paramsAt = 8;
  }
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, rawVocab, seqLen] = Array.from({ length: 7 }, (_, i) =>
    header.readInt32LE(paramsAt + i * 4),
  ) as [number, number, number, number, number, number, number];
  const vocabSize = version === 0 ? Math.abs(rawVocab) : rawVocab;
  const plausible =
    dim > 0 &&
    dim <= 65536 &&
    hiddenDim > 0 &&
    hiddenDim <= 1 << 20 &&
    nLayers > 0 &&
    nLayers <= 1024 &&
    nHeads > 0 &&
    nKvHeads > 0 &&
    nKvHeads <= nHeads &&
    dim % nHeads === 0 &&
    nHeads % nKvHeads === 0 &&
    (dim / nHeads) % 2 === 0 &&
    vocabSize > 3 &&
    vocabSize <= 1 << 22 &&
    seqLen > 0 &&
    seqLen <= 1 << 22;
  if (!plausible) throw invalidCheckpoint(path, 'header values are not those of a llama2.c model');
  const sharedClassifier = version === 0 ? rawVocab > 0 : header.readUInt8(paramsAt + 28) !== 0;
  return { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen, sharedClassifier, version };
}

type WeightName = Exclude<keyof Llama2cLayout, 'fileSize'>;

// File order of the weight arrays. Version 1 (export.py): norms first, no RoPE tables. Version 0
// (run.c's `memory_map_weights`): RoPE tables (freq_cis_real/imag, recomputed by llama.cpp) before
// the optional classifier.
const V1_ORDER = [
  'rmsAtt',
  'rmsFfn',
  'rmsFinal',
  'tokenEmbedding',
  'wq',
  'wk',
  'wv',
  'wo',
  'w1',
  'w2',
  'w3',
  'wcls',
] as const;
const V0_ORDER = [
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
  'ropeReal',
  'ropeImag',
  'wcls',
] as const;

/** Offsets of every weight array, in the order export.py writes them for `config.version`. */
export function computeLayout(c: Llama2cConfig): Llama2cLayout {
  const headSize = c.dim / c.nHeads;
  const kvDim = headSize * c.nKvHeads;
  const L = c.nLayers;
  const floats: Record<WeightName | 'ropeReal' | 'ropeImag', number> = {
    tokenEmbedding: c.vocabSize * c.dim,
    rmsAtt: L * c.dim,
    wq: L * c.dim * c.dim,
    wk: L * c.dim * kvDim,
    wv: L * c.dim * kvDim,
    wo: L * c.dim * c.dim,
    rmsFfn: L * c.dim,
    w1: L * c.hiddenDim * c.dim,
    w2: L * c.dim * c.hiddenDim,
    w3: L * c.hiddenDim * c.dim,
    rmsFinal: c.dim,
    ropeReal: c.seqLen * (headSize / 2),
    ropeImag: c.seqLen * (headSize / 2),
    wcls: c.sharedClassifier ? 0 : c.vocabSize * c.dim,
  };
  let cursor = c.version === 0 ? V0_HEADER_BYTES : V1_HEADER_BYTES;
  const blocks: Partial<Record<WeightName, Llama2cBlock>> = {};
  for (const name of c.version === 1 ? V1_ORDER : V0_ORDER) {
    const n = floats[name];
    if (name !== 'ropeReal' && name !== 'ropeImag' && !(name === 'wcls' && c.sharedClassifier)) {
      blocks[name] = { offset: cursor, floats: n };
    }
    cursor += n * 4;
  }
  return { ...(blocks as Omit<Llama2cLayout, 'fileSize'>), fileSize: cursor };
}

function invalidCheckpoint(path: string, reason: string): LlmError {
  return new LlmError('invalid_model', `Not a llama2.c checkpoint (${reason}): ${path}`, { path, reason });
}
