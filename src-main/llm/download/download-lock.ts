import fs from 'node:fs';
import { DownloadError } from './download-error';

/** Files this process is downloading right now (a lock file alone cannot tell our own pid apart). */
const held = new Set<string>();

/**
 * Takes `<file>.lock` so two downloads of the same file (two jobs, or the app and the CLI at
 * once) never append to one `.part`. A lock left by a dead process is taken over. Returns the
 * release function. Throws DownloadError('busy') while another live download holds it.
 */
export function acquireDownloadLock(file: string): () => void {
  const lock = `${file}.lock`;
  if (held.has(lock)) throw busy(file);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lock, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      held.add(lock);
      return () => {
        held.delete(lock);
        fs.rmSync(lock, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(lock, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw busy(file);
      // Stale: left by a killed process (or by this one before a crash-restart of the job).
      fs.rmSync(lock, { force: true });
    }
  }
  throw busy(file);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function busy(file: string): DownloadError {
  return new DownloadError('busy', `${file} is already being downloaded by another task.`, { file });
}
