import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/app-error';
import { SUPPORTED_EXTENSIONS } from '../detection';

/** Folders are walked at most this deep (a class folder with per-student subfolders fits). */
const MAX_DEPTH = 8;
export const MAX_BATCH_FILES = 5000;

export interface ExpandPathsOptions {
  /** More files than this is a bad request (default MAX_BATCH_FILES; Infinity for no limit). */
  maxFiles?: number;
}

/**
 * The files a list of files and folders stands for: the one rule for `palimpsest detect`,
 * `palimpsest checks run` and batch checks of folders.
 * - Folders are walked recursively (at most MAX_DEPTH levels) and give their .txt/.md/.docx/.pdf
 *   files; hidden entries (a name starting with '.') and unreadable subfolders are skipped.
 * - Files named explicitly are kept whatever their type, so an unsupported one is reported, not lost.
 * - Order is stable (each folder sorted by name), so a resumed job walks the same list; a file
 *   reached twice (named and inside a named folder) is listed once, where it first appears.
 * - Paths keep the form they were given in (relative stays relative).
 * @throws AppError not_found for a path that does not exist; bad_request when no file is left or
 * there are more than `maxFiles`.
 */
export function expandPaths(paths: readonly string[], options: ExpandPathsOptions = {}): string[] {
  const maxFiles = options.maxFiles ?? MAX_BATCH_FILES;
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    const key = path.resolve(p);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  const walk = (dir: string, depth: number, top: boolean): void => {
    if (depth > MAX_DEPTH) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if (top) throw new AppError('bad_request', `The folder ${dir} cannot be read.`, { path: dir }, { cause: e });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      const kind = e.isSymbolicLink() ? linkKind(p) : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : null;
      // Symbolic links to folders are not followed: a link to a parent would loop.
      if (kind === 'dir' && !e.isSymbolicLink()) walk(p, depth + 1, false);
      else if (kind === 'file' && isSupported(e.name)) add(p);
    }
  };
  for (const raw of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(raw);
    } catch {
      throw new AppError('not_found', `${raw} does not exist.`, { path: raw });
    }
    if (st.isDirectory()) walk(raw, 0, true);
    else add(raw);
  }
  if (out.length === 0) throw new AppError('bad_request', 'No .txt, .md, .docx or .pdf files were found there.');
  if (out.length > maxFiles)
    throw new AppError('bad_request', `Too many files (${out.length}); check at most ${maxFiles} at a time.`);
  return out;
}

const isSupported = (name: string): boolean =>
  (SUPPORTED_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());

function linkKind(p: string): 'dir' | 'file' | null {
  try {
    const st = fs.statSync(p);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}
