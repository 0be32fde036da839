import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './errors';

/**
 * Creates `dir` (and missing parents) and checks it can be written, failing fast with a
 * `data_dir_unwritable` StoreError. Parents are created one at a time from the nearest existing
 * ancestor: Node's `mkdirSync(…, { recursive: true })` loops forever at full CPU under a
 * pseudo-filesystem such as /proc, which answers ENOENT to every mkdir.
 */
export function ensureWritableDir(dir: string): void {
  const fail = (reason: string, cause?: unknown): never => {
    throw new StoreError(
      'data_dir_unwritable',
      `Cannot write to the data folder ${dir}: ${reason}.`,
      { dir },
      { cause },
    );
  };
  const missing: string[] = [];
  let existing = path.resolve(dir);
  for (;;) {
    const stat = statOrNull(existing);
    if (stat) {
      if (!stat.isDirectory()) fail(`${existing} is not a folder`);
      break;
    }
    missing.unshift(existing);
    const parent = path.dirname(existing);
    if (parent === existing) fail('no part of the path exists');
    existing = parent;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (cause) {
      // Another process may have created it meanwhile.
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') fail(`cannot create ${d} (${errno(cause)})`, cause);
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (cause) {
    fail(`permission denied (${errno(cause)})`, cause);
  }
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}
