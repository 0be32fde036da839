import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../core/app-error';
import type { JobRecord, JobRunner } from '../../jobs';
import { JOB_KINDS } from '../../jobs/common/job-kinds';
import type { CatalogEntry } from '../catalog/catalog-entry';
import { modelIdFromFileName, recordInstalledModel } from '../catalog/installed-models';
import { DownloadError } from './download-error';
import { downloadFile, PART_SUFFIX } from './download-file';
import { formatBytes } from './progress-meter';

/** Job kind for model downloads. */
export const MODEL_DOWNLOAD_JOB = JOB_KINDS.modelsDownload;

/** What to download. `sha256: null` means "no published checksum": the result is recorded unverified. */
export const modelDownloadPayloadSchema = z.object({
  url: z.string().regex(/^https?:\/\//, 'must be an http(s) URL'),
  /** Plain file name inside the models folder (no path separators). */
  fileName: z.string().regex(/^[^/\\]+\.gguf$/i, 'must be a .gguf file name without folders'),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/)
    .nullable(),
  catalogId: z.string().optional(),
  expectedSize: z.number().int().positive().optional(),
});
export type ModelDownloadPayload = z.infer<typeof modelDownloadPayloadSchema>;

/** Checkpoint: bytes safely in the `.part` file and the server validator they belong to. */
export interface ModelDownloadState {
  bytes: number;
  total: number | null;
  validator: string | null;
}

export interface ModelDownloadResult {
  id: string;
  path: string;
  bytes: number;
  sha256: string;
  verified: boolean;
}

export interface ModelDownloadJobOptions {
  /** Folder the finished files go to (usually `modelsDirFor(dataDir)`). */
  modelsDir: string;
  /** Extra request headers per download, e.g. a Hugging Face token for gated repos. */
  headers?: () => Record<string, string>;
  maxResumes?: number;
  idleTimeoutMs?: number;
  /** ms between checkpoints (default 1000). */
  checkpointIntervalMs?: number;
  fetch?: typeof fetch;
}

/**
 * Registers `models.download`: a resumable download that checkpoints the bytes on disk, so a
 * killed process (or a stopped runner) continues from the `.part` file on the next start. A
 * user cancel deletes the partial file; a runner stop keeps it. On success the file is renamed
 * into place and recorded in `installed_models` in the same step as the final checkpoint.
 */
export function registerModelDownloadJob(jobs: JobRunner, options: ModelDownloadJobOptions): void {
  jobs.register<ModelDownloadPayload, ModelDownloadState, ModelDownloadResult>({
    kind: MODEL_DOWNLOAD_JOB,
    payloadSchema: modelDownloadPayloadSchema,
    async run(ctx) {
      const { payload } = ctx;
      const dest = path.join(options.modelsDir, payload.fileName);
      let lastProgressAt = 0;
      try {
        const result = await downloadFile({
          url: payload.url,
          dest,
          sha256: payload.sha256,
          signal: ctx.signal,
          ...(payload.expectedSize !== undefined ? { expectedSize: payload.expectedSize } : {}),
          ...(ctx.state?.validator ? { validator: ctx.state.validator } : {}),
          ...(options.headers ? { headers: options.headers() } : {}),
          ...(options.maxResumes !== undefined ? { maxResumes: options.maxResumes } : {}),
          ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
          checkpointIntervalMs: options.checkpointIntervalMs ?? 1000,
          onCheckpoint: (c) =>
            ctx.step(() => {}, {
              state: { bytes: c.bytes, total: c.total ?? null, validator: c.validator ?? null },
              done: c.bytes,
              ...(c.total !== undefined ? { total: c.total } : {}),
              message: `${formatBytes(c.bytes)}${c.total ? ` of ${formatBytes(c.total)}` : ''}`,
            }),
          onProgress: (p) => {
            const now = performance.now();
            if (now - lastProgressAt < 250) return;
            lastProgressAt = now;
            const speed = p.bytesPerSecond > 0 ? `, ${formatBytes(p.bytesPerSecond)}/s` : '';
            ctx.progress(
              p.bytes,
              p.total,
              `${formatBytes(p.bytes)}${p.total ? ` of ${formatBytes(p.total)}` : ''}${speed}`,
            );
          },
        });
        // The model library's id (what the UI lists and the engine loads), not the catalog id.
        const id = modelIdFromFileName(payload.fileName);
        ctx.step(
          (db) =>
            recordInstalledModel(db, {
              id,
              fileName: payload.fileName,
              path: result.path,
              sizeBytes: result.bytes,
              sha256: result.sha256,
              verified: result.verified,
              catalogId: payload.catalogId ?? null,
              source: payload.catalogId ? 'catalog' : 'url',
            }),
          {
            state: { bytes: result.bytes, total: result.bytes, validator: null },
            done: result.bytes,
            total: result.bytes,
            message: result.verified
              ? 'Installed (checksum verified)'
              : 'Installed (UNVERIFIED: no published checksum)',
          },
        );
        return { id, path: result.path, bytes: result.bytes, sha256: result.sha256, verified: result.verified };
      } catch (e) {
        const reason: unknown = ctx.signal.reason;
        if (ctx.signal.aborted && AppError.isInstance(reason) && reason.code === 'conflict') {
          // Cancelled by the user: they do not want the partial file either.
          fs.rmSync(dest + PART_SUFFIX, { force: true });
        }
        if (DownloadError.isInstance(e))
          throw new AppError(
            e.code === 'aborted' || e.code === 'busy' ? 'conflict' : 'unavailable',
            e.userMessage,
            e.details,
            { cause: e },
          );
        throw e;
      }
    },
  });
}

/** Enqueues the download of a catalog entry. */
export function enqueueCatalogDownload(jobs: JobRunner, entry: CatalogEntry): JobRecord {
  const payload: ModelDownloadPayload = {
    url: entry.url,
    fileName: entry.fileName,
    sha256: entry.sha256,
    catalogId: entry.id,
    ...(entry.sizeIsExact ? { expectedSize: entry.sizeBytes } : {}),
  };
  return jobs.enqueue(MODEL_DOWNLOAD_JOB, payload);
}
