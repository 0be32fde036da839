import fs from 'node:fs';
import path from 'node:path';
import { libraryKindOf } from './common/file-kinds';

/** Most files one add lists from folders. */
export const MAX_LISTED_FILES = 100_000;
/** Folder label for files added one by one. */
export const DEFAULT_FOLDER = 'Library';

export interface ListedFile {
  path: string;
  /** Display name (uploads); null = the path's base name. */
  name: string | null;
  folder: string;
  upload: boolean;
}

/**
 * Expands added paths into files: a folder gives the library files under it (recursively, hidden
 * entries and symlinked folders skipped, sorted), labelled with the folder's name; a file is
 * listed as given (an unknown type then fails with a clear error in the job result); a path that
 * does not exist is listed too and fails as "not found".
 */
export function listSources(
  sources: ReadonlyArray<{ path: string; name?: string; upload?: boolean }>,
  folder: string | undefined,
): ListedFile[] {
  const out: ListedFile[] = [];
  for (const s of sources) {
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(s.path);
    } catch {
      st = null;
    }
    if (st?.isDirectory()) {
      const label = folder ?? (path.basename(s.path) || DEFAULT_FOLDER);
      for (const f of walk(s.path)) {
        if (out.length >= MAX_LISTED_FILES) return out;
        out.push({ path: f, name: null, folder: label, upload: false });
      }
    } else {
      if (out.length >= MAX_LISTED_FILES) return out;
      out.push({ path: s.path, name: s.name ?? null, folder: folder ?? DEFAULT_FOLDER, upload: s.upload ?? false });
    }
  }
  return out;
}

function* walk(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if ((e.isFile() || e.isSymbolicLink()) && libraryKindOf(e.name)) yield p;
  }
}
