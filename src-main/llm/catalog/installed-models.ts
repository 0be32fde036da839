import fs from 'node:fs';
import type Database from 'better-sqlite3';

/** A model file on this machine, as recorded in `installed_models`. */
export interface InstalledModel {
  /** The model library's id: the file's path under the models folder without `.gguf` (see `modelIdFromFileName`). */
  id: string;
  fileName: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  /** True when the sha256 matched a published checksum. */
  verified: boolean;
  catalogId: string | null;
  source: 'catalog' | 'url' | 'import';
  format: 'gguf';
  createdAt: number;
  /** False when the file was deleted behind our back (checked on list). */
  present: boolean;
}

interface Row {
  id: string;
  file_name: string;
  path: string;
  size_bytes: number;
  sha256: string;
  verified: number;
  catalog_id: string | null;
  source: InstalledModel['source'];
  format: 'gguf';
  created_at: number;
}

/**
 * Records (or replaces) an installed model; a row left for the same path under another id (a file
 * deleted by hand and installed again) is replaced too. Synchronous, so a download job can call it
 * inside its final `ctx.step` transaction.
 */
export function recordInstalledModel(
  db: Database.Database,
  m: Omit<InstalledModel, 'createdAt' | 'present' | 'format'> & { format?: 'gguf' },
): void {
  db.prepare(`DELETE FROM installed_models WHERE path = ? AND id <> ?`).run(m.path, m.id);
  db.prepare(
    `INSERT INTO installed_models (id, file_name, path, size_bytes, sha256, verified, catalog_id, source, format, created_at)
     VALUES (@id, @fileName, @path, @sizeBytes, @sha256, @verified, @catalogId, @source, @format, @createdAt)
     ON CONFLICT (id) DO UPDATE SET file_name = excluded.file_name, path = excluded.path, size_bytes = excluded.size_bytes,
       sha256 = excluded.sha256, verified = excluded.verified, catalog_id = excluded.catalog_id, source = excluded.source`,
  ).run({ ...m, verified: m.verified ? 1 : 0, format: m.format ?? 'gguf', createdAt: Date.now() });
}

/** Installed models, newest first, with `present` telling whether the file is still there. */
export function listInstalledModels(db: Database.Database): InstalledModel[] {
  const rows = db.prepare(`SELECT * FROM installed_models ORDER BY created_at DESC`).all() as Row[];
  return rows.map(toModel);
}

/** By id, catalog id or file name. */
export function findInstalledModel(db: Database.Database, key: string): InstalledModel | undefined {
  const row = db
    .prepare(
      `SELECT * FROM installed_models WHERE id = ? OR catalog_id = ? OR file_name = ? ORDER BY created_at DESC LIMIT 1`,
    )
    .get(key, key, key) as Row | undefined;
  return row ? toModel(row) : undefined;
}

/** Forgets a model (and deletes its file when `deleteFile`). Returns false when unknown. */
export function removeInstalledModel(
  db: Database.Database,
  id: string,
  options: { deleteFile?: boolean } = {},
): boolean {
  const m = findInstalledModel(db, id);
  if (!m) return false;
  db.prepare(`DELETE FROM installed_models WHERE id = ?`).run(m.id);
  if (options.deleteFile) fs.rmSync(m.path, { force: true });
  return true;
}

/**
 * The id of a file directly in the models folder: its name without `.gguf`
 * (`Qwen2.5-0.5B-Instruct-Q4_K_M.gguf` → `Qwen2.5-0.5B-Instruct-Q4_K_M`), which is what the local
 * engine loads it by and what the model library lists.
 */
export function modelIdFromFileName(fileName: string): string {
  return fileName.replace(/\.gguf$/i, '');
}

function toModel(r: Row): InstalledModel {
  return {
    id: r.id,
    fileName: r.file_name,
    path: r.path,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    verified: r.verified === 1,
    catalogId: r.catalog_id,
    source: r.source,
    format: r.format,
    createdAt: r.created_at,
    present: fs.existsSync(r.path),
  };
}
