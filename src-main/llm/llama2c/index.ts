/** Import of Karpathy's llama2.c checkpoints (e.g. the tinyllamas stories models) as GGUF. */
export { convertLlama2cToGguf, type ConvertLlama2cOptions, type ConvertLlama2cResult } from './convert';
export { readLlama2cCheckpoint, type Llama2cConfig } from './checkpoint';
export { readLlama2cTokenizer, type SpmVocab } from './tokenizer';
