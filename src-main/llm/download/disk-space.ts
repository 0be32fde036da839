import fs from 'node:fs';
import path from 'node:path';
import { DownloadError } from './download-error';
import { formatBytes } from './progress-meter';

/** Bytes free for this user on the filesystem holding `dir` (or its nearest existing parent). */
export async function freeBytes(dir: string): Promise<number> {
  let probe = path.resolve(dir);
  for (;;) {
    try {
      const s = await fs.promises.statfs(probe);
      return Number(s.bavail) * Number(s.bsize);
    } catch (e) {
      const parent = path.dirname(probe);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === probe) throw e;
      probe = parent;
    }
  }
}

/**
 * Throws DownloadError('disk_full') unless `needed` bytes plus a safety margin fit in `dir`.
 * The margin (default 64 MiB) keeps a full download from leaving the system with 0 bytes free.
 */
export async function assertFreeSpace(dir: string, needed: number, marginBytes = 64 * 1024 * 1024): Promise<void> {
  const free = await freeBytes(dir);
  if (free < needed + marginBytes) {
    throw new DownloadError(
      'disk_full',
      `Not enough disk space: the download needs ${formatBytes(needed)} but only ${formatBytes(free)} is free in ${dir}.`,
      { dir, needed, free, marginBytes },
    );
  }
}
