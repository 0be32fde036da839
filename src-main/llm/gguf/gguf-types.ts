/**
 * GGUF on-disk vocabulary (version 3), as specified in ggml's `docs/gguf.md`. Everything is
 * little-endian; strings are a uint64 byte length followed by UTF-8 bytes (no terminator).
 */

/** "GGUF" read as a little-endian uint32. */
export const GGUF_MAGIC = 0x46554747;
/** The version this module writes; the reader accepts 2 and 3 (same layout, v1 used 32-bit counts). */
export const GGUF_VERSION = 3;
/** Tensor data alignment when the file has no `general.alignment` key. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Type tag written before every metadata value. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufValueType = (typeof GgufValueType)[keyof typeof GgufValueType];

/** The ggml tensor element types this code writes (the reader reports any type id it meets). */
export const GgmlType = { F32: 0, F16: 1 } as const;
export type GgmlType = (typeof GgmlType)[keyof typeof GgmlType];

/** llama.cpp token types (`tokenizer.ggml.token_type`). */
export const GgufTokenType = {
  NORMAL: 1,
  UNKNOWN: 2,
  CONTROL: 3,
  USER_DEFINED: 4,
  UNUSED: 5,
  BYTE: 6,
} as const;

/** A scalar metadata value. 64-bit integers are bigint so nothing is silently rounded. */
export type GgufScalar = number | bigint | boolean | string;

/**
 * A metadata value as the reader returns it. Long arrays (vocabularies) are summarised unless the
 * caller asks for them, so validating a 150k-token model does not build 150k strings.
 */
export type GgufValue =
  | GgufScalar
  | GgufScalar[]
  | { readonly truncatedArray: true; readonly itemType: GgufValueType; readonly length: number };

/** A metadata entry to write: the explicit type picks the encoding (a JS number is ambiguous). */
export type GgufWriteKv =
  | { key: string; type: 'u32' | 'i32' | 'f32' | 'u64'; value: number }
  | { key: string; type: 'bool'; value: boolean }
  | { key: string; type: 'string'; value: string }
  | { key: string; type: 'string[]'; value: readonly string[] }
  | { key: string; type: 'f32[]' | 'i32[]'; value: ArrayLike<number> };

/** Describes one tensor of a GGUF file (reader output). */
export interface GgufTensorInfo {
  name: string;
  /** Innermost (contiguous) dimension first, as ggml's `ne`. */
  dims: number[];
  /** ggml type id (0 = F32, 1 = F16, ...). */
  type: number;
  /** Byte offset relative to the start of the tensor data section. */
  offset: number;
}
