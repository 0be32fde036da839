import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { redactSecrets } from '../keys/secret-store';
import { assertFreeSpace } from './disk-space';
import { acquireDownloadLock } from './download-lock';
import { DownloadError } from './download-error';
import { ProgressMeter, type DownloadProgress } from './progress-meter';

/** Where a download stands, for a job checkpoint. Enough to resume in a new process. */
export interface DownloadCheckpoint {
  /** Bytes in the `.part` file. */
  bytes: number;
  total: number | undefined;
  /** ETag or Last-Modified of the file being fetched; a resume sends it as `If-Range`. */
  validator: string | undefined;
}

export interface DownloadFileOptions {
  url: string;
  /** Final path. The data is written to `<dest>.part` and renamed here only once complete and verified. */
  dest: string;
  /** Expected SHA-256 (hex). When given, a mismatch deletes the part file and throws `checksum_mismatch`. */
  sha256?: string | null;
  /** Size to check free disk space against before the server says (Content-Length wins when given). */
  expectedSize?: number;
  signal?: AbortSignal;
  /** Called at most every `progressIntervalMs` (default 250) and once at the end. */
  onProgress?: (p: DownloadProgress) => void;
  progressIntervalMs?: number;
  /** Called every `checkpointIntervalMs` (default 1000) with the bytes safely on disk. */
  onCheckpoint?: (c: DownloadCheckpoint) => void;
  checkpointIntervalMs?: number;
  /** Validator from an earlier attempt (`DownloadCheckpoint.validator`). */
  validator?: string;
  /** Reconnects after a dropped connection, each resuming with `Range` (default 5). */
  maxResumes?: number;
  /** ms without a byte before the connection counts as dropped (default 60 000). */
  idleTimeoutMs?: number;
  /** Extra headers, e.g. `authorization` for a gated Hugging Face repo (never logged). */
  headers?: Record<string, string>;
  /** On abort, delete the part file instead of keeping it for a later resume (default false). */
  deletePartOnAbort?: boolean;
  fetch?: typeof fetch;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  /** SHA-256 of the file as written (hex). */
  sha256: string;
  /** True when it matched the expected checksum; false when none was given. */
  verified: boolean;
  /** Bytes that came from an earlier attempt's part file. */
  resumedFrom: number;
  /** True when `dest` already existed (and matched the checksum when one was given). */
  alreadyPresent: boolean;
}

/** Suffix of the in-progress file; anything with it is by definition incomplete. */
export const PART_SUFFIX = '.part';

/**
 * Downloads `url` to `dest` with resume, progress, checksum and cancellation. The file only
 * appears at `dest` (by an atomic rename) once every byte arrived and the checksum matched;
 * until then it is `dest.part`, which a later call resumes with an HTTP Range request.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<DownloadResult> {
  const dest = path.resolve(options.dest);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const release = acquireDownloadLock(dest + PART_SUFFIX);
  try {
    return await downloadUnlocked(options);
  } finally {
    release();
  }
}

async function downloadUnlocked(options: DownloadFileOptions): Promise<DownloadResult> {
  const dest = path.resolve(options.dest);
  const part = dest + PART_SUFFIX;
  const expected = options.sha256?.toLowerCase() ?? null;
  const signal = options.signal;
  const doFetch = options.fetch ?? fetch;
  const safeUrl = redactSecrets(options.url);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (signal?.aborted) throw new DownloadError('aborted', 'The download was cancelled.', {});

  if (fs.existsSync(dest)) {
    const sha256 = await hashFile(dest, signal);
    if (expected && sha256 !== expected) {
      throw new DownloadError(
        'checksum_mismatch',
        `${path.basename(dest)} already exists but its checksum does not match the catalog. Delete it and download again.`,
        {
          dest,
          expected,
          actual: sha256,
        },
      );
    }
    return {
      path: dest,
      bytes: fs.statSync(dest).size,
      sha256,
      verified: Boolean(expected),
      resumedFrom: 0,
      alreadyPresent: true,
    };
  }

  // Re-hash what an earlier attempt left: a hash's state cannot be saved across processes.
  let hash = createHash('sha256');
  let bytes = 0;
  if (fs.existsSync(part)) {
    bytes = await hashInto(part, hash, signal);
  }
  const resumedFrom = bytes;
  let validator = bytes > 0 ? options.validator : undefined;
  let total: number | undefined = options.expectedSize;
  // Check before the first byte when the size is known up front; otherwise once the server says.
  let spaceCheckedFor: number | undefined;
  if (total !== undefined) {
    await assertFreeSpace(path.dirname(dest), total - bytes);
    spaceCheckedFor = total;
  }
  const meter = new ProgressMeter();
  const progressEvery = options.progressIntervalMs ?? 250;
  const checkpointEvery = options.checkpointIntervalMs ?? 1000;
  let lastProgress = 0;
  let lastCheckpoint = performance.now();
  const maxResumes = options.maxResumes ?? 5;

  for (let attempt = 0; ; attempt++) {
    const idle = new AbortController();
    const linked = signal ? AbortSignal.any([signal, idle.signal]) : idle.signal;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => idle.abort(new Error('idle')), options.idleTimeoutMs ?? 60_000);
    };
    const headers: Record<string, string> = { ...options.headers };
    if (bytes > 0) {
      headers.range = `bytes=${bytes}-`;
      if (validator) headers['if-range'] = validator;
    }
    let handle: fs.promises.FileHandle | undefined;
    try {
      armIdle();
      let res: Response;
      try {
        res = await doFetch(options.url, { headers, signal: linked, redirect: 'follow' });
      } catch (cause) {
        throw networkError(cause, safeUrl, idle.signal.aborted);
      }
      if (res.status === 416 && bytes > 0) {
        // Range not satisfiable: the part may already be whole, or the server's file changed.
        const full = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]);
        await res.body?.cancel().catch(() => {});
        if (full === bytes) {
          total = full;
          break;
        }
        ({ hash, bytes } = restart(part));
        validator = undefined;
        continue;
      }
      if (res.status >= 400) throw httpError(res, safeUrl);
      if (bytes > 0 && res.status === 200) {
        // The server ignored Range (or If-Range said the file changed): start over.
        ({ hash, bytes } = restart(part));
      } else if (res.status === 206) {
        const start = Number(/bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1]);
        if (start !== bytes) {
          await res.body?.cancel().catch(() => {});
          ({ hash, bytes } = restart(part));
          validator = undefined;
          continue;
        }
      }
      // If-Range needs a strong validator; a weak ETag would make every resume restart from zero.
      const etag = res.headers.get('etag');
      validator = (etag && !etag.startsWith('W/') ? etag : res.headers.get('last-modified')) ?? validator;
      const length = Number(res.headers.get('content-length'));
      const rangeTotal = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]);
      if (Number.isFinite(rangeTotal) && rangeTotal > 0) total = rangeTotal;
      else if (Number.isFinite(length) && res.headers.has('content-length')) total = bytes + length;
      if (total !== undefined && total !== spaceCheckedFor) {
        try {
          await assertFreeSpace(path.dirname(dest), total - bytes);
        } catch (e) {
          await res.body?.cancel().catch(() => {});
          throw e;
        }
        spaceCheckedFor = total;
      }
      if (!res.body) throw new DownloadError('network', `The server sent no data for ${safeUrl}.`, { url: safeUrl });

      handle = await fs.promises.open(part, 'a');
      const reader = res.body.getReader();
      meter.reset();
      try {
        for (;;) {
          let chunk: Awaited<ReturnType<typeof reader.read>>;
          try {
            chunk = await reader.read();
          } catch (cause) {
            throw networkError(cause, safeUrl, idle.signal.aborted);
          }
          if (chunk.done) break;
          armIdle();
          await handle.write(chunk.value);
          hash.update(chunk.value);
          bytes += chunk.value.byteLength;
          const now = performance.now();
          if (options.onProgress && now - lastProgress >= progressEvery) {
            lastProgress = now;
            options.onProgress(meter.sample(bytes, total));
          }
          if (options.onCheckpoint && now - lastCheckpoint >= checkpointEvery) {
            lastCheckpoint = now;
            // datasync first: a checkpoint must never claim bytes the disk does not have.
            await handle.datasync();
            options.onCheckpoint({ bytes, total, validator });
          }
        }
      } finally {
        reader.cancel().catch(() => {});
      }
      await handle.sync();
      if (total !== undefined && bytes < total) {
        throw new DownloadError('network', `The connection closed after ${bytes} of ${total} bytes.`, {
          url: safeUrl,
          bytes,
          total,
        });
      }
      break;
    } catch (e) {
      if (signal?.aborted) throw await aborted(part, options);
      const err = DownloadError.isInstance(e)
        ? e
        : new DownloadError('network', `Download of ${safeUrl} failed: ${String(e)}`, { url: safeUrl }, { cause: e });
      const resumable = err.code === 'network' || err.code === 'timeout';
      if (!resumable || attempt >= maxResumes) throw err;
      options.onCheckpoint?.({ bytes, total, validator });
      await delay(Math.min(200 * 2 ** attempt, 5000), signal).catch(async () => {
        throw await aborted(part, options);
      });
    } finally {
      if (idleTimer) clearTimeout(idleTimer);
      await handle?.close().catch(() => {});
    }
  }

  if (total !== undefined && bytes !== total) {
    fs.rmSync(part, { force: true });
    throw new DownloadError(
      'size_mismatch',
      `The downloaded file has ${bytes} bytes instead of ${total}; it was discarded.`,
      { url: safeUrl, bytes, total },
    );
  }
  const sha256 = hash.digest('hex');
  if (expected && sha256 !== expected) {
    fs.rmSync(part, { force: true });
    throw new DownloadError(
      'checksum_mismatch',
      `The downloaded file is damaged or not the expected one (checksum mismatch); it was discarded. Try again.`,
      { url: safeUrl, expected, actual: sha256 },
    );
  }
  fs.renameSync(part, dest);
  fsyncDir(path.dirname(dest));
  options.onProgress?.({ bytes, total: bytes, bytesPerSecond: 0, etaMs: 0 });
  return { path: dest, bytes, sha256, verified: Boolean(expected), resumedFrom, alreadyPresent: false };
}

/** SHA-256 (hex) of a file on disk. */
export async function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await hashInto(file, hash, signal);
  return hash.digest('hex');
}

async function hashInto(file: string, hash: Hash, signal?: AbortSignal): Promise<number> {
  let n = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) })) {
    hash.update(chunk as Buffer);
    n += (chunk as Buffer).byteLength;
  }
  return n;
}

function restart(part: string): { hash: Hash; bytes: number } {
  fs.rmSync(part, { force: true });
  return { hash: createHash('sha256'), bytes: 0 };
}

async function aborted(part: string, options: DownloadFileOptions): Promise<DownloadError> {
  if (options.deletePartOnAbort) fs.rmSync(part, { force: true });
  return new DownloadError(
    'aborted',
    'The download was cancelled.',
    { partKept: !options.deletePartOnAbort },
    { cause: options.signal?.reason },
  );
}

function networkError(cause: unknown, url: string, idle: boolean): DownloadError {
  if (idle) return new DownloadError('timeout', `The download from ${url} stalled.`, { url }, { cause });
  return new DownloadError(
    'network',
    `The connection to ${url} failed or dropped: this computer may be offline. Check the connection and try again; the download resumes where it stopped.`,
    { url },
    { cause },
  );
}

function httpError(res: Response, url: string): DownloadError {
  void res.body?.cancel().catch(() => {});
  const details = { url, status: res.status };
  if (res.status === 404) return new DownloadError('not_found', `The file is no longer at ${url} (HTTP 404).`, details);
  if (res.status === 401 || res.status === 403) {
    return new DownloadError(
      'auth_required',
      `The server refused the download (HTTP ${res.status}). The model may need you to accept its licence or sign in.`,
      details,
    );
  }
  return new DownloadError('http', `The server answered HTTP ${res.status} for ${url}.`, details);
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}

/** Makes the rename durable; best effort (Windows cannot open directories). */
function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not supported on this platform: the rename is still atomic, only not yet durable.
  }
}
