import { open, stat } from 'node:fs/promises';
import { LlmError } from '../errors';
import { ggmlTensorBytes } from './ggml-type-size';
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GgufValueType,
  type GgufScalar,
  type GgufTensorInfo,
  type GgufValue,
} from './gguf-types';

/** What `readGgufInfo` learns from a GGUF file without loading its tensors. */
export interface GgufInfo {
  path: string;
  /** GGUF format version (2 or 3). */
  version: number;
  fileSize: number;
  alignment: number;
  /** Every metadata key; arrays longer than `maxArrayLength` are summarised. */
  metadata: Record<string, GgufValue>;
  tensors: GgufTensorInfo[];
  /** Absolute byte offset of the tensor data section. */
  dataOffset: number;
  /** `general.architecture`, e.g. `llama`. */
  architecture?: string;
  /** `general.name` when present. */
  name?: string;
  /** `<arch>.context_length`: the context the model was trained with, in tokens. */
  contextLength?: number;
}

export interface ReadGgufOptions {
  /** Arrays longer than this are returned as `{ truncatedArray, itemType, length }` (default 64). */
  maxArrayLength?: number;
}

/**
 * Reads and validates a GGUF file's header, metadata and tensor table, and checks that the file is
 * long enough for the tensor data it declares. Cheap (reads only the header), so call it before
 * handing a file to llama.cpp, which reports a bad file far less helpfully.
 * @throws LlmError `model_missing` when the file does not exist; `invalid_model` when it is not a
 * GGUF file, has an unsupported version, or is truncated.
 */
export async function readGgufInfo(path: string, options: ReadGgufOptions = {}): Promise<GgufInfo> {
  const fileSize = await stat(path).then(
    (s) => s.size,
    (cause: unknown) => {
      throw new LlmError('model_missing', `Model file not found: ${path}`, { path }, { cause });
    },
  );
  const file = await open(path, 'r');
  try {
    // Metadata size is unknown up front (a vocabulary can be megabytes): parse what we have and
    // read twice as much when the parser runs off the end, until the whole file is in hand.
    let size = Math.min(fileSize, 1 << 20);
    for (;;) {
      const buf = Buffer.alloc(size);
      await file.read(buf, 0, size, 0);
      try {
        return parseHeader(buf, path, fileSize, options.maxArrayLength ?? 64);
      } catch (e) {
        if (!(e instanceof NeedMoreBytes)) throw e;
        if (size >= fileSize) throw invalid(path, 'file is truncated (header runs past the end)');
        size = Math.min(fileSize, size * 2);
      }
    }
  } finally {
    await file.close();
  }
}

function invalid(path: string, reason: string): LlmError {
  return new LlmError('invalid_model', `Not a usable GGUF model (${reason}): ${path}`, { path, reason });
}

class NeedMoreBytes extends Error {}

function parseHeader(buf: Buffer, path: string, fileSize: number, maxArrayLength: number): GgufInfo {
  const r = new Cursor(buf);
  if (fileSize < 8 || r.u32() !== GGUF_MAGIC) throw invalid(path, 'bad magic, not a GGUF file');
  const version = r.u32();
  if (version !== 2 && version !== 3) throw invalid(path, `unsupported GGUF version ${version}`);
  const tensorCount = r.u64();
  const kvCount = r.u64();
  // Each entry takes at least 12 bytes; bigger counts than the file can hold mean garbage.
  if (tensorCount > fileSize / 12 || kvCount > fileSize / 12) throw invalid(path, 'implausible header counts');

  const metadata: Record<string, GgufValue> = {};
  for (let i = 0; i < kvCount; i++) {
    const key = r.string();
    metadata[key] = readValue(r, r.u32(), maxArrayLength, path);
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = r.string();
    const nDims = r.u32();
    if (nDims > 8) throw invalid(path, `tensor ${name} has ${nDims} dimensions`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(r.u64());
    tensors.push({ name, dims, type: r.u32(), offset: r.u64() });
  }
  const alignmentValue = metadata['general.alignment'];
  const alignment = typeof alignmentValue === 'number' && alignmentValue > 0 ? alignmentValue : GGUF_DEFAULT_ALIGNMENT;
  const dataOffset = Math.ceil(r.offset / alignment) * alignment;

  for (const t of tensors) {
    const bytes = ggmlTensorBytes(t.type, t.dims) ?? 1;
    if (t.offset % alignment !== 0) throw invalid(path, `tensor ${t.name} is misaligned`);
    if (dataOffset + t.offset + bytes > fileSize)
      throw invalid(path, `file is truncated (tensor ${t.name} runs past the end)`);
  }

  const architecture =
    typeof metadata['general.architecture'] === 'string' ? metadata['general.architecture'] : undefined;
  const contextLength = architecture ? metadata[`${architecture}.context_length`] : undefined;
  const name = metadata['general.name'];
  return {
    path,
    version,
    fileSize,
    alignment,
    metadata,
    tensors,
    dataOffset,
    ...(architecture !== undefined && { architecture }),
    ...(typeof name === 'string' && { name }),
    ...(typeof contextLength === 'number' && { contextLength }),
  };
}

function readValue(r: Cursor, type: number, maxArrayLength: number, path: string): GgufValue {
  if (type !== GgufValueType.ARRAY) return readScalar(r, type, path);
  const itemType = r.u32() as GgufValueType;
  const length = r.u64();
  if (itemType === GgufValueType.ARRAY) throw invalid(path, 'nested metadata arrays are not supported');
  const items: GgufScalar[] = [];
  for (let i = 0; i < length; i++) {
    const v = readScalar(r, itemType, path);
    if (length <= maxArrayLength) items.push(v);
  }
  return length <= maxArrayLength ? items : { truncatedArray: true, itemType, length };
}

function readScalar(r: Cursor, type: number, path: string): GgufScalar {
  switch (type) {
    case GgufValueType.UINT8:
      return r.take(1).readUInt8(0);
    case GgufValueType.INT8:
      return r.take(1).readInt8(0);
    case GgufValueType.UINT16:
      return r.take(2).readUInt16LE(0);
    case GgufValueType.INT16:
      return r.take(2).readInt16LE(0);
    case GgufValueType.UINT32:
      return r.u32();
    case GgufValueType.INT32:
      return r.take(4).readInt32LE(0);
    case GgufValueType.FLOAT32:
      return r.take(4).readFloatLE(0);
    case GgufValueType.BOOL:
      return r.take(1).readUInt8(0) !== 0;
    case GgufValueType.STRING:
      return r.string();
    case GgufValueType.UINT64:
      return r.take(8).readBigUInt64LE(0);
    case GgufValueType.INT64:
      return r.take(8).readBigInt64LE(0);
    case GgufValueType.FLOAT64:
      return r.take(8).readDoubleLE(0);
    default:
      throw invalid(path, `unknown metadata value type ${type}`);
  }
}

/** Little-endian reader that signals "need more bytes" instead of reading past the buffer. */
class Cursor {
  offset = 0;
  constructor(private readonly buf: Buffer) {}

  take(n: number): Buffer {
    if (this.offset + n > this.buf.length) throw new NeedMoreBytes();
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  u32(): number {
    return this.take(4).readUInt32LE(0);
  }
  /** uint64 as a number: sizes and counts beyond 2^53 are garbage for our purposes anyway. */
  u64(): number {
    return Number(this.take(8).readBigUInt64LE(0));
  }
  string(): string {
    return this.take(this.u64()).toString('utf8');
  }
}
