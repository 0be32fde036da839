import os from 'node:os';
import path from 'node:path';
import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/app-error';
import { readGgufInfo } from '../gguf';
import { convertLlama2cToGguf } from '../llama2c/convert';
import type { ImportModelInput } from './llm-service-types';
import {
  assertRoomForModel,
  copyModelInto,
  exists,
  findTokenizerBeside,
  hasGgufMagic,
  localModelId,
  safeModelFileName,
  sha256File,
} from './model-files';

/**
 * Puts a model file into `modelsDir`: a GGUF is header-checked, then copied; a llama2.c checkpoint
 * is converted with its tokenizer (given, or found beside it). Both write under a temporary name
 * and rename, so a refused or failed import leaves nothing behind. Returns the new file and its SHA-256.
 * @throws AppError `not_found` (no such file), `conflict` (a model of that name exists),
 * `bad_request` (a folder, or not a model); LlmError `invalid_model` for a truncated or foreign file.
 */
export async function importModelFile(
  modelsDir: string,
  input: ImportModelInput,
): Promise<{ file: string; sha256: string }> {
  const src = userPath(input.path);
  const st = await stat(src).catch(() => undefined);
  if (!st)
    throw new AppError('not_found', `No file at ${src}. The path is read on the machine running Palimpsest.`, {
      path: src,
    });
  if (!st.isFile())
    throw new AppError('bad_request', `${src} is a folder; choose the model file inside it.`, { path: src });
  if (await hasGgufMagic(src)) {
    await readGgufInfo(src, { maxArrayLength: 0 }); // refuses a truncated or unsupported file before copying
    const file = await freeDestination(modelsDir, input.name ?? path.basename(src));
    return { file, sha256: await copyModelInto(src, file, st.size) };
  }
  const tokenizer = input.tokenizerPath ? userPath(input.tokenizerPath) : await findTokenizerBeside(src);
  if (!tokenizer) {
    throw new AppError(
      'bad_request',
      /\.bin$/i.test(src)
        ? `${path.basename(src)} looks like a llama2.c checkpoint, but no tokenizer (tokenizer.bin or tok*.bin) was found beside it.`
        : `${path.basename(src)} is not a GGUF model (it does not start with the GGUF signature) nor a llama2.c checkpoint.`,
      { path: src },
    );
  }
  const file = await freeDestination(modelsDir, input.name ?? path.basename(src));
  // The GGUF holds the checkpoint's float32 weights plus the vocabulary: about both files' size.
  const tokenizerSize = (await stat(tokenizer).catch(() => undefined))?.size ?? 0;
  await assertRoomForModel(modelsDir, st.size + tokenizerSize);
  await convertLlama2cToGguf({ checkpoint: src, tokenizer, output: file });
  return { file, sha256: await sha256File(file) };
}

async function freeDestination(modelsDir: string, sourceName: string): Promise<string> {
  await mkdir(modelsDir, { recursive: true });
  const dest = path.join(modelsDir, safeModelFileName(sourceName));
  if (await exists(dest)) {
    throw new AppError(
      'conflict',
      `A model named ${path.basename(dest)} is already installed. Delete it first to replace it.`,
      {
        id: localModelId(modelsDir, dest),
      },
    );
  }
  return dest;
}

/** A path as people paste it: quoted, `~/…`, or a `file://` URL. */
export function userPath(raw: string): string {
  let p = raw.trim().replace(/^(['"])(.*)\1$/, '$2');
  if (p.startsWith('file://')) p = fileURLToPath(p);
  if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
  return path.resolve(p);
}
