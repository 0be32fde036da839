import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../core/app-error';
import { freeBytes } from '../download/disk-space';
import { formatBytes } from '../download/progress-meter';
import { readGgufInfo, type GgufInfo } from '../gguf';
import { GGUF_MAGIC } from '../gguf/gguf-types';

/** llama.cpp's `llama_ftype` values as written to `general.file_type`. */
const FILE_TYPES: Record<number, string> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  7: 'Q8_0',
  8: 'Q5_0',
  9: 'Q5_1',
  10: 'Q2_K',
  11: 'Q3_K_S',
  12: 'Q3_K_M',
  13: 'Q3_K_L',
  14: 'Q4_K_S',
  15: 'Q4_K_M',
  16: 'Q5_K_S',
  17: 'Q5_K_M',
  18: 'Q6_K',
  19: 'IQ2_XXS',
  20: 'IQ2_XS',
  21: 'Q2_K_S',
  22: 'IQ3_XS',
  23: 'IQ3_XXS',
  24: 'IQ1_S',
  25: 'IQ4_NL',
  26: 'IQ3_S',
  27: 'IQ3_M',
  28: 'IQ2_S',
  29: 'IQ2_M',
  30: 'IQ4_XS',
  31: 'IQ1_M',
  32: 'BF16',
  36: 'TQ1_0',
  37: 'TQ2_0',
};

/** The weight type a GGUF declares, e.g. `Q4_K_M`; null when it does not say. */
export function quantizationOf(info: GgufInfo): string | null {
  const t = info.metadata['general.file_type'];
  return typeof t === 'number' ? (FILE_TYPES[t] ?? `type ${t}`) : null;
}

/** GGUF files under `dir`, two levels deep (like the local engine); [] when it does not exist. */
export async function findGgufFiles(dir: string, depth = 2): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isFile() && e.name.toLowerCase().endsWith('.gguf') && !e.name.startsWith('.')) out.push(p);
    else if (e.isDirectory() && depth > 1) out.push(...(await findGgufFiles(p, depth - 1)));
  }
  return out.sort();
}

/** The local engine's id for a file in `modelsDir`: its relative path without `.gguf`. */
export function localModelId(modelsDir: string, file: string): string {
  return path
    .relative(modelsDir, file)
    .split(path.sep)
    .join('/')
    .replace(/\.gguf$/i, '');
}

/** `<modelsDir>/<id>.gguf`, refusing ids that leave the folder. Throws AppError('bad_request'). */
export function modelFilePath(modelsDir: string, id: string): string {
  const root = path.resolve(modelsDir);
  const file = path.resolve(root, `${id}.gguf`);
  if (!file.startsWith(root + path.sep))
    throw new AppError('bad_request', `"${id}" is not a model in the models folder.`);
  return file;
}

/** Whether a file starts with the GGUF magic. */
export async function hasGgufMagic(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return bytesRead === 4 && buf.readUInt32LE(0) === GGUF_MAGIC;
  } finally {
    await fh.close();
  }
}

/** A llama2.c tokenizer beside `checkpoint`: `tokenizer.bin`, else the only `tok*.bin`. */
export async function findTokenizerBeside(checkpoint: string): Promise<string | undefined> {
  const dir = path.dirname(checkpoint);
  const names = await readdir(dir).catch(() => [] as string[]);
  if (names.includes('tokenizer.bin')) return path.join(dir, 'tokenizer.bin');
  const toks = names.filter((n) => /^tok.*\.bin$/i.test(n) && path.join(dir, n) !== checkpoint);
  return toks.length === 1 ? path.join(dir, toks[0]!) : undefined;
}

/** File names we write: letters, digits, `._-` only, so an id is also a safe path segment. */
export function safeModelFileName(base: string): string {
  const clean = base
    .replace(/\.(gguf|bin)$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '');
  return `${clean || 'model'}.gguf`;
}

/**
 * Copies a GGUF into the models folder under a hidden temporary name, hashing on the way, checks
 * the copy, then renames it into place: the folder never holds half a model. Returns the SHA-256.
 * Throws AppError('unavailable') when the disk is too full.
 */
export async function copyModelInto(src: string, dest: string, sizeBytes: number): Promise<string> {
  await mkdir(path.dirname(dest), { recursive: true });
  await assertRoomForModel(path.dirname(dest), sizeBytes);
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${randomUUID().slice(0, 8)}.importing`);
  const hash = createHash('sha256');
  try {
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    await pipeline(createReadStream(src), tap, createWriteStream(tmp, { flags: 'wx' }));
    await readGgufInfo(tmp); // the copy is as whole as the original
    await rename(tmp, dest);
    return hash.digest('hex');
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Refuses to start writing a model of about `sizeBytes` into `dir` unless it fits with 64 MiB to spare,
 * so an import never fills the disk. Throws AppError('unavailable').
 */
export async function assertRoomForModel(dir: string, sizeBytes: number): Promise<void> {
  const free = await freeBytes(dir);
  if (free < sizeBytes + 64 * 1024 * 1024) {
    throw new AppError(
      'unavailable',
      `Not enough disk space: the model needs ${formatBytes(sizeBytes)} but only ${formatBytes(free)} is free.`,
    );
  }
}

/** SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Whether anything is at `p`. */
export async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
