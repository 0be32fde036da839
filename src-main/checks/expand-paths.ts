import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/app-error';
import { SUPPORTED_EXTENSIONS } from '../detection';

/** Folders are walked at most this deep (a class folder with per-student subfolders fits). */
const MAX_DEPTH = 8;
export const MAX_BATCH_FILES = 5000;

/**
 * Expands files and folders into the files a batch check reads, in a stable (sorted) order so a
 * resumed job walks the same list. Folders contribute their .txt/.md/.docx/.pdf files, recursively;
 * files given explicitly are kept whatever their type, so an unsupported one is reported, not lost.
 * @throws AppError not_found for a path that does not exist; bad_request when nothing is left.
 */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile() && (SUPPORTED_EXTENSIONS as readonly string[]).includes(path.extname(e.name).toLowerCase()))
        out.push(p);
    }
  };
  for (const raw of paths) {
    const p = path.resolve(raw);
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new AppError('not_found', `${raw} does not exist.`, { path: raw });
    }
    if (st.isDirectory()) walk(p, 0);
    else out.push(p);
  }
  if (out.length === 0) throw new AppError('bad_request', 'No .txt, .md, .docx or .pdf files were found there.');
  if (out.length > MAX_BATCH_FILES)
    throw new AppError('bad_request', `Too many files (${out.length}); check at most ${MAX_BATCH_FILES} at a time.`);
  return out;
}
