import { open } from 'node:fs/promises';
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VERSION,
  GgmlType,
  GgufValueType,
  type GgufWriteKv,
} from './gguf-types';

/** A tensor to write. Its bytes are pulled lazily so a large model never sits in memory twice. */
export interface GgufWriteTensor {
  name: string;
  /** Innermost (contiguous) dimension first, as ggml's `ne`. */
  dims: readonly number[];
  type: GgmlType;
  /** Returns exactly `product(dims) * elementSize` little-endian bytes. */
  read(): Promise<Uint8Array>;
}

const ELEMENT_SIZE: Record<GgmlType, number> = { [GgmlType.F32]: 4, [GgmlType.F16]: 2 };

/**
 * Writes a GGUF v3 file: header, metadata, tensor infos, padding to `alignment`, then each tensor's
 * data padded to `alignment`. Tensor data is streamed one tensor at a time.
 * @returns the number of bytes written.
 */
export async function writeGguf(
  path: string,
  metadata: readonly GgufWriteKv[],
  tensors: readonly GgufWriteTensor[],
  alignment = GGUF_DEFAULT_ALIGNMENT,
): Promise<number> {
  const header = new ByteSink();
  header.u32(GGUF_MAGIC);
  header.u32(GGUF_VERSION);
  header.u64(tensors.length);
  const kvs =
    alignment === GGUF_DEFAULT_ALIGNMENT
      ? metadata
      : [...metadata, { key: 'general.alignment', type: 'u32', value: alignment } as const];
  header.u64(kvs.length);
  for (const kv of kvs) writeKv(header, kv);

  let offset = 0;
  const sizes: number[] = [];
  for (const t of tensors) {
    const size = t.dims.reduce((a, b) => a * b, 1) * ELEMENT_SIZE[t.type];
    sizes.push(size);
    header.string(t.name);
    header.u32(t.dims.length);
    for (const d of t.dims) header.u64(d);
    header.u32(t.type);
    header.u64(offset);
    offset += pad(size, alignment);
  }
  header.zeros(pad(header.length, alignment) - header.length);

  const file = await open(path, 'w');
  try {
    let written = 0;
    const write = async (bytes: Uint8Array): Promise<void> => {
      await file.write(bytes);
      written += bytes.length;
    };
    await write(header.bytes());
    for (const [i, t] of tensors.entries()) {
      const data = await t.read();
      if (data.length !== sizes[i]) throw new Error(`tensor ${t.name}: expected ${sizes[i]} bytes, got ${data.length}`);
      await write(data);
      const padding = pad(data.length, alignment) - data.length;
      if (padding > 0) await write(new Uint8Array(padding));
    }
    return written;
  } finally {
    await file.close();
  }
}

function pad(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

function writeKv(sink: ByteSink, kv: GgufWriteKv): void {
  sink.string(kv.key);
  switch (kv.type) {
    case 'u32':
      sink.u32(GgufValueType.UINT32).u32(kv.value);
      return;
    case 'i32':
      sink.u32(GgufValueType.INT32).i32(kv.value);
      return;
    case 'f32':
      sink.u32(GgufValueType.FLOAT32).f32(kv.value);
      return;
    case 'u64':
      sink.u32(GgufValueType.UINT64).u64(kv.value);
      return;
    case 'bool':
      sink.u32(GgufValueType.BOOL).u8(kv.value ? 1 : 0);
      return;
    case 'string':
      sink.u32(GgufValueType.STRING).string(kv.value);
      return;
    case 'string[]':
      sink.u32(GgufValueType.ARRAY).u32(GgufValueType.STRING).u64(kv.value.length);
      for (const s of kv.value) sink.string(s);
      return;
    case 'f32[]':
      sink.u32(GgufValueType.ARRAY).u32(GgufValueType.FLOAT32).u64(kv.value.length);
      for (let i = 0; i < kv.value.length; i++) sink.f32(kv.value[i]!);
      return;
    case 'i32[]':
      sink.u32(GgufValueType.ARRAY).u32(GgufValueType.INT32).u64(kv.value.length);
      for (let i = 0; i < kv.value.length; i++) sink.i32(kv.value[i]!);
      return;
  }
}

/** Growable little-endian byte buffer for the header (metadata is small: vocab strings at most). */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): this {
    this.reserve(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
    return this;
  }
  u32(v: number): this {
    this.reserve(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
    return this;
  }
  i32(v: number): this {
    this.reserve(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
    return this;
  }
  f32(v: number): this {
    this.reserve(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
    return this;
  }
  u64(v: number): this {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
    return this;
  }
  string(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buf, this.length);
    this.length += bytes.length;
    return this;
  }
  zeros(n: number): this {
    this.reserve(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
    return this;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
