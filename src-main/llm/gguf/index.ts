/** GGUF file format: a validator/reader for any GGUF and a small writer used by the converters. */
export { readGgufInfo, type GgufInfo, type ReadGgufOptions } from './gguf-reader';
export { writeGguf, type GgufWriteTensor } from './gguf-writer';
export {
  GGUF_MAGIC,
  GGUF_VERSION,
  GgmlType,
  GgufTokenType,
  GgufValueType,
  type GgufTensorInfo,
  type GgufValue,
  type GgufWriteKv,
} from './gguf-types';
