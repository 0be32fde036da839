import { readFile } from 'node:fs/promises';
import { LlmError } from '../errors';
import { GgufTokenType } from '../gguf';

/** A vocabulary in the form llama.cpp's SentencePiece ("llama") tokenizer expects. */
export interface SpmVocab {
  tokens: string[];
  scores: Float32Array;
  types: Int32Array;
  unkId: number;
  bosId: number;
  eosId: number;
}

/** llama2.c's run.c hard-codes these ids; its tokenizer.py export keeps SentencePiece's order. */
const UNK_ID = 0;
const BOS_ID = 1;
const EOS_ID = 2;
const BYTE_TOKEN = /^<0x[0-9A-F]{2}>$/;

/**
 * Reads a llama2.c `tokenizer.bin` (int32 max_token_length, then per token: float32 score, int32
 * length, bytes) and turns it back into SentencePiece pieces: llama2.c's export replaced `▁` by a
 * space and renamed BOS/EOS, so spaces become `▁` again and ids 0–2 get their usual names.
 * @throws LlmError `model_missing` or `invalid_model` (truncated, or fewer tokens than `vocabSize`).
 */
export async function readLlama2cTokenizer(path: string, vocabSize: number): Promise<SpmVocab> {
  const buf = await readFile(path).catch((cause: unknown) => {
    throw new LlmError('model_missing', `llama2.c tokenizer not found: ${path}`, { path }, { cause });
  });
  const bad = (reason: string): LlmError =>
    new LlmError('invalid_model', `Not a llama2.c tokenizer (${reason}): ${path}`, { path, reason });
  if (buf.length < 4) throw bad('file is too short');
  const maxTokenLength = buf.readInt32LE(0);
  if (maxTokenLength <= 0 || maxTokenLength > 4096) throw bad('implausible max token length');

  const tokens: string[] = [];
  const scores = new Float32Array(vocabSize);
  const types = new Int32Array(vocabSize);
  let offset = 4;
  for (let id = 0; id < vocabSize; id++) {
    if (offset + 8 > buf.length) throw bad(`truncated at token ${id} of ${vocabSize}`);
    const score = buf.readFloatLE(offset);
    const length = buf.readInt32LE(offset + 4);
    offset += 8;
    if (length < 0 || length > maxTokenLength || offset + length > buf.length) throw bad(`bad length for token ${id}`);
    const text = buf.toString('utf8', offset, offset + length);
    offset += length;
    scores[id] = score;
    const [piece, type] = classify(id, text);
    tokens.push(piece);
    types[id] = type;
  }
  return { tokens, scores, types, unkId: UNK_ID, bosId: BOS_ID, eosId: EOS_ID };
}

function classify(id: number, text: string): [piece: string, type: number] {
  if (id === UNK_ID) return ['<unk>', GgufTokenType.UNKNOWN];
  if (id === BOS_ID) return ['<s>', GgufTokenType.CONTROL];
  if (id === EOS_ID) return ['</s>', GgufTokenType.CONTROL];
  if (BYTE_TOKEN.test(text)) return [text, GgufTokenType.BYTE];
  if (text.length === 0) return [text, GgufTokenType.CONTROL];
  return [text.replaceAll(' ', '\u2581'), GgufTokenType.NORMAL];
}
