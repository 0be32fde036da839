import { randomBytes } from 'node:crypto';
import os from 'node:os';

/**
 * A runner's owner id, `<host>:<pid>:<random>`: unique per JobRunner (two runners in one process
 * differ), and readable enough for `jobs resume` to say which process holds a job.
 */
export function newOwnerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface OwnerInfo {
  host: string;
  pid: number;
}

/** Host and pid of an owner id, or null for an id not made by newOwnerId. */
export function parseOwnerId(owner: string): OwnerInfo | null {
  const m = /^(.*):(\d+):[0-9a-f]+$/.exec(owner);
  return m ? { host: m[1]!, pid: Number(m[2]) } : null;
}

/**
 * False only when the owner is known to be gone: a process on this host whose pid no longer exists
 * (a kill -9 or a crash). Owners on other hosts, or that cannot be checked, count as alive: their
 * lease expiry decides.
 */
export function ownerMayBeAlive(owner: string): boolean {
  const info = parseOwnerId(owner);
  if (!info || info.host !== os.hostname() || info.pid === process.pid) return true;
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (e) {
    // EPERM: the pid exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
