/**
 * Zip-bomb guard for .docx files (a zip), run before the bytes reach mammoth: a 1 MB file can
 * inflate to gigabytes. Reads the central directory (entry count, declared sizes) and then inflates
 * every entry into a counter, never into memory, stopping at the limit, since declared sizes can lie.
 * Zip format: PKWARE APPNOTE.TXT 6.3 (sections 4.3.7 local header, 4.3.12 central directory,
 * 4.3.14-16 ZIP64 and end-of-central-directory records, 4.5.3 ZIP64 extra field).
 */
import { createInflateRaw } from 'node:zlib';

export interface ZipLimits {
  /** Most entries (files and folders) the archive may have. */
  maxEntries: number;
  /** Most bytes all entries may inflate to together. */
  maxUncompressedBytes: number;
}

/** Word documents: far above any real essay (text, styles, a few images), far below a bomb. */
export const DOCX_LIMITS: ZipLimits = { maxEntries: 10_000, maxUncompressedBytes: 100 * 1024 * 1024 };

/** Why an archive was refused: `too_large` (over a limit) or `corrupt` (not a readable zip). */
export class ZipGuardError extends Error {
  constructor(
    readonly reason: 'too_large' | 'corrupt',
    message: string,
  ) {
    super(message);
    this.name = 'ZipGuardError';
  }
}

interface Entry {
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;

const corrupt = (why: string): ZipGuardError => new ZipGuardError('corrupt', `not a readable zip archive (${why})`);
const tooLarge = (why: string): ZipGuardError => new ZipGuardError('too_large', why);

/**
 * Resolves when the archive is within `limits`; rejects with ZipGuardError otherwise.
 * Stored (method 0) and deflated (method 8) entries are measured; any other method is corrupt for us.
 */
export async function assertZipWithinLimits(buf: Buffer, limits: ZipLimits = DOCX_LIMITS): Promise<void> {
  const entries = centralDirectory(buf, limits);
  let declared = 0;
  for (const e of entries) declared += e.uncompressedSize;
  if (declared > limits.maxUncompressedBytes) throw overLimit(limits);
  let used = 0;
  for (const e of entries) {
    const data = entryData(buf, e);
    if (e.method === 0) used += data.length;
    else if (e.method === 8) used += await inflatedSize(data, limits.maxUncompressedBytes - used, limits);
    else throw corrupt(`compression method ${e.method}`);
    if (used > limits.maxUncompressedBytes) throw overLimit(limits);
  }
}

const overLimit = (limits: ZipLimits): ZipGuardError =>
  tooLarge(`it unpacks to more than ${limits.maxUncompressedBytes / (1024 * 1024)} MB`);

function centralDirectory(buf: Buffer, limits: ZipLimits): Entry[] {
  const eocd = findEocd(buf);
  let count = buf.readUInt16LE(eocd + 10);
  let size = buf.readUInt32LE(eocd + 12);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === MAX_U16 || size === MAX_U32 || offset === MAX_U32) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== ZIP64_LOCATOR) throw corrupt('ZIP64 locator missing');
    const z = safeNumber(buf.readBigUInt64LE(loc + 8));
    if (z + 56 > buf.length || buf.readUInt32LE(z) !== ZIP64_EOCD) throw corrupt('ZIP64 record missing');
    count = safeNumber(buf.readBigUInt64LE(z + 32));
    size = safeNumber(buf.readBigUInt64LE(z + 40));
    offset = safeNumber(buf.readBigUInt64LE(z + 48));
  }
  if (count > limits.maxEntries) throw tooLarge(`it holds ${count} files, more than ${limits.maxEntries}`);
  if (offset + size > buf.length) throw corrupt('central directory outside the file');
  const entries: Entry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw corrupt('bad central directory entry');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const e: Entry = {
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    const extraStart = p + 46 + nameLen;
    if (extraStart + extraLen > buf.length) throw corrupt('bad central directory entry');
    applyZip64Extra(e, buf.subarray(extraStart, extraStart + extraLen));
    entries.push(e);
    p = extraStart + extraLen + commentLen;
  }
  return entries;
}

/** The end-of-central-directory record is in the last 22 + 65535 (comment) bytes. */
function findEocd(buf: Buffer): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - MAX_U16); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw corrupt('no end of central directory');
}

/** Replaces 0xFFFFFFFF sizes/offset by their 64-bit values from the ZIP64 extra field (id 1). */
function applyZip64Extra(e: Entry, extra: Buffer): void {
  for (let p = 0; p + 4 <= extra.length;) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 1) {
      let q = p + 4;
      const next = (): number => {
        if (q + 8 > p + 4 + len || q + 8 > extra.length) throw corrupt('bad ZIP64 field');
        const v = safeNumber(extra.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (e.uncompressedSize === MAX_U32) e.uncompressedSize = next();
      if (e.compressedSize === MAX_U32) e.compressedSize = next();
      if (e.localOffset === MAX_U32) e.localOffset = next();
      return;
    }
    p += 4 + len;
  }
}

function entryData(buf: Buffer, e: Entry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw corrupt('bad local header');
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw corrupt('entry outside the file');
  return buf.subarray(start, start + e.compressedSize);
}

/** Bytes `data` inflates to, counted as they stream and discarded; rejects past `budget`. */
function inflatedSize(data: Buffer, budget: number, limits: ZipLimits): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let n = 0;
    inflate.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n > budget) {
        inflate.destroy();
        reject(overLimit(limits));
      }
    });
    inflate.on('end', () => resolve(n));
    inflate.on('error', (e) => reject(corrupt(e.message)));
    inflate.end(data);
  });
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('size out of range');
  return Number(v);
}

/** Why a .docx file may not be opened, in the words users see; the caller wraps it in its own error. */
export interface DocxRefusal {
  reason: 'too_large' | 'corrupt';
  message: string;
  cause?: unknown;
}

const NOT_A_DOCX = 'This .docx file is damaged or is not a Word document.';

/**
 * Checks a .docx container before mammoth opens it: the ZIP signature (a renamed file fails
 * clearly) and the zip-bomb limits. Null when it may be opened.
 */
export async function docxRefusal(buf: Buffer): Promise<DocxRefusal | null> {
  if (buf.length < 4 || buf[0] !== 0x50 || buf[1] !== 0x4b) return { reason: 'corrupt', message: NOT_A_DOCX };
  try {
    await assertZipWithinLimits(buf);
    return null;
  } catch (e) {
    if (e instanceof ZipGuardError && e.reason === 'too_large')
      return {
        reason: 'too_large',
        message: `This .docx file is refused: ${e.message}, far more than a document needs (a "zip bomb" would exhaust the memory).`,
        cause: e,
      };
    return { reason: 'corrupt', message: NOT_A_DOCX, cause: e };
  }
}
