import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { notFound } from '../../core/app-error';
import { listInstalledModels, recordInstalledModel, type InstalledModel } from '../catalog/installed-models';
import { LlmError } from '../errors';
import { readGgufInfo, type GgufInfo } from '../gguf';
import type { InstalledModelInfo } from './llm-service-types';
import { exists, findGgufFiles, localModelId, modelFilePath, quantizationOf } from './model-files';

/** How a file came into the models folder, as `record` keeps it. */
export interface ModelProvenance {
  sha256: string;
  source: 'catalog' | 'url' | 'import';
  verified: boolean;
  catalogId: string | null;
}

/**
 * The one list of installed models, for the UI, the CLI, the catalog and the local engine: the GGUF
 * files in the models folder (the disk is the truth, so a file copied in by hand counts and a
 * deleted one does not), each with what its header says and what `installed_models` remembers of
 * how it came (source, checksum). A model's id is what the local engine loads it by: its path under
 * the folder without `.gguf`.
 */
export class ModelLibrary {
  private readonly headers = new Map<string, { key: string; info: GgufInfo | Error }>();

  constructor(
    private readonly db: Database.Database,
    readonly modelsDir: string,
  ) {}

  /** Every GGUF file in the folder (two levels deep), sorted by path; broken files carry `error`. */
  async list(): Promise<InstalledModelInfo[]> {
    const rows = new Map<string, InstalledModel>(listInstalledModels(this.db).map((m) => [path.resolve(m.path), m]));
    const out: InstalledModelInfo[] = [];
    for (const file of await findGgufFiles(this.modelsDir)) {
      const st = await stat(file).catch(() => undefined);
      if (!st) continue;
      const info = await this.header(file, `${st.size}:${st.mtimeMs}`);
      const row = rows.get(path.resolve(file));
      const base = {
        id: localModelId(this.modelsDir, file),
        fileName: path.basename(file),
        path: file,
        sizeBytes: st.size,
        source: row?.source ?? null,
        verified: row?.verified ?? false,
        catalogId: row?.catalogId ?? null,
      };
      out.push(
        info instanceof Error
          ? { ...base, architecture: null, name: null, quantization: null, contextLength: null, error: info.message }
          : {
              ...base,
              architecture: info.architecture ?? null,
              name: info.name ?? null,
              quantization: quantizationOf(info),
              contextLength: info.contextLength ?? null,
            },
      );
    }
    return out;
  }

  /**
   * The installed model a user means by `key`: its id, its file name, or the catalog id it was
   * downloaded as (ids win over file names, file names over catalog ids). Undefined when none.
   */
  async find(key: string): Promise<InstalledModelInfo | undefined> {
    const all = await this.list();
    return (
      all.find((m) => m.id === key) ??
      all.find((m) => m.fileName === key) ??
      all.find((m) => m.catalogId !== null && m.catalogId === key.toLowerCase())
    );
  }

  /** Remembers how a file now in the folder came there, and returns it as `list` shows it. */
  async record(file: string, provenance: ModelProvenance): Promise<InstalledModelInfo | undefined> {
    const fileName = path.basename(file);
    recordInstalledModel(this.db, {
      id: localModelId(this.modelsDir, file),
      fileName,
      path: file,
      sizeBytes: (await stat(file)).size,
      ...provenance,
    });
    this.headers.delete(file);
    return (await this.list()).find((m) => path.resolve(m.path) === path.resolve(file));
  }

  /** Deletes a model's file and forgets it. Throws AppError `not_found` (no such model) or `bad_request` (an id outside the folder). */
  async remove(id: string): Promise<void> {
    const file = modelFilePath(this.modelsDir, id);
    if (!(await exists(file))) throw notFound('Model', id);
    await rm(file, { force: true });
    this.db.prepare(`DELETE FROM installed_models WHERE path = ?`).run(file);
    this.headers.delete(file);
  }

  /** The file's header, cached while its size and mtime (`key`) stay the same. */
  private async header(file: string, key: string): Promise<GgufInfo | Error> {
    const hit = this.headers.get(file);
    if (hit?.key === key) return hit.info;
    const info = await readGgufInfo(file, { maxArrayLength: 0 }).catch((e: unknown) =>
      LlmError.isInstance(e) ? new Error(e.userMessage) : new Error(String(e)),
    );
    this.headers.set(file, { key, info });
    return info;
  }
}
