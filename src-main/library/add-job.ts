import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../core/app-error';
import type { JobRunner } from '../jobs';
import { ADD_JOB, addPayloadSchema, type AddPayload } from './add-payload';
import type { AddFileOutcome, AddJobResult } from './common/contract';
import { LibraryIngestError } from './ingest/ingest-error';
import { OcrEngine } from './ingest/ocr';
import { prepareFile, readSource, sha256, type PreparedFile } from './ingest/prepare-file';
import { listSources } from './list-sources';
import type { LibraryService } from './library-service';

/** Outcomes are all kept up to this many files; beyond it only failures and files with notices (the checkpoint stays small). */
const KEEP_ALL_OUTCOMES = 1000;

interface AddState {
  next: number;
  total: number;
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  files: AddFileOutcome[];
}

interface FileRow {
  path: string;
  name: string | null;
  folder: string;
  upload: number;
}

/**
 * `library.add`: lists the files once (into library_add_files), then per file reads, hashes,
 * extracts and chunks it outside any transaction and writes the document, its chunks and vectors
 * in ONE step with the checkpoint, so a killed job resumes at the next file. Unchanged files
 * (same path or upload name, same sha256) are skipped; a file that fails is recorded with its
 * error and the job goes on. At the end the LSA space is refitted when the refit rule says so.
 */
export function registerLibraryJobs(jobs: JobRunner, library: LibraryService): void {
  const db = library.store.db;
  jobs.register<AddPayload, AddState, AddJobResult>({
    kind: ADD_JOB,
    payloadSchema: addPayloadSchema,
    async run(ctx) {
      let state = ctx.state;
      if (!state) {
        const listed = listSources(ctx.payload.sources, ctx.payload.folder);
        const fresh: AddState = {
          next: 0,
          total: listed.length,
          added: 0,
          updated: 0,
          unchanged: 0,
          failed: 0,
          files: [],
        };
        ctx.step(
          (d) => {
            d.prepare(`DELETE FROM library_add_files WHERE job_id = ?`).run(ctx.jobId);
            const ins = d.prepare(
              `INSERT INTO library_add_files (job_id, ord, path, name, folder, upload) VALUES (?, ?, ?, ?, ?, ?)`,
            );
            listed.forEach((f, i) => ins.run(ctx.jobId, i, f.path, f.name, f.folder, f.upload ? 1 : 0));
          },
          { state: fresh, done: 0, total: listed.length, message: `Adding ${listed.length} files` },
        );
        state = fresh;
      }
      const row = db.prepare(`SELECT path, name, folder, upload FROM library_add_files WHERE job_id = ? AND ord = ?`);
      const ocr = new OcrEngine();
      const embedder = await library.openJobEmbedder().catch(() => null);
      try {
        while (state.next < state.total) {
          ctx.signal.throwIfAborted();
          const f = row.get(ctx.jobId, state.next) as FileRow;
          const fileName = f.name ?? path.basename(f.path);
          const source = { path: f.upload ? null : f.path, fileName, folder: f.folder };
          let outcome: AddFileOutcome;
          let prepared: PreparedFile | null = null;
          let replaceId: string | undefined;
          let vectors: Float32Array[] | null = null;
          try {
            const bytes = await readSource(f.path);
            const hash = sha256(bytes);
            const existing = library.store.findExisting(source);
            if (existing && existing.hash === hash) {
              outcome = { file: displayPath(f), status: 'unchanged', documentId: existing.id };
            } else {
              replaceId = existing?.id;
              prepared = await prepareFile(fileName, bytes, hash, ocr, ctx.signal);
              if (embedder) vectors = await library.embedChunksForJob(embedder, prepared);
              outcome = {
                file: displayPath(f),
                status: existing ? 'updated' : 'added',
                chunks: prepared.chunked.chunks.length,
                ...(prepared.notices.length ? { notices: prepared.notices } : {}),
              };
            }
          } catch (e) {
            if (ctx.signal.aborted) throw e;
            outcome = { file: displayPath(f), status: 'failed', error: describeFailure(e) };
          }
          const next: AddState = {
            ...state,
            next: state.next + 1,
            [outcome.status]: state[outcome.status] + 1,
            files:
              state.total <= KEEP_ALL_OUTCOMES || outcome.status === 'failed' || outcome.notices
                ? [...state.files, outcome]
                : state.files,
          };
          ctx.step(
            () => {
              if (prepared) {
                const saved = library.writeDocument(
                  prepared,
                  { ...source, tags: ctx.payload.tags, replaceId },
                  vectors,
                );
                outcome.documentId = saved.id;
              }
            },
            { state: next, done: next.next, total: next.total, message: fileName },
          );
          if (f.upload) fs.rmSync(f.path, { force: true });
          state = next;
          await yieldToLoop(); // let cancel and progress events through
        }
        ctx.progress(state.total, state.total, 'Updating the dense index');
        library.refreshDense();
        if (embedder) await library.embedMissing(embedder, ctx.signal);
        db.prepare(`DELETE FROM library_add_files WHERE job_id = ?`).run(ctx.jobId);
        return {
          added: state.added,
          updated: state.updated,
          unchanged: state.unchanged,
          failed: state.failed,
          files: state.files,
        };
      } catch (e) {
        // Cancelled: what was added stays and is made searchable; staged uploads are not needed again.
        if (ctx.signal.aborted && AppError.isInstance(ctx.signal.reason) && ctx.signal.reason.code === 'conflict') {
          library.refreshDense();
          cleanupUploads(db, ctx.jobId);
        }
        throw e;
      } finally {
        await ocr.dispose();
        await embedder?.dispose();
      }
    },
  });
}

function displayPath(f: FileRow): string {
  return f.upload ? (f.name ?? path.basename(f.path)) : f.path;
}

function describeFailure(e: unknown): string {
  if (LibraryIngestError.isInstance(e)) return e.message;
  if (AppError.isInstance(e)) return e.userMessage;
  return `Could not be read: ${String((e as Error)?.message ?? e).slice(0, 300)}`;
}

function cleanupUploads(db: import('better-sqlite3').Database, jobId: string): void {
  const rows = db
    .prepare(`SELECT path FROM library_add_files WHERE job_id = ? AND upload = 1`)
    .pluck()
    .all(jobId) as string[];
  for (const p of rows) fs.rmSync(p, { force: true });
  db.prepare(`DELETE FROM library_add_files WHERE job_id = ?`).run(jobId);
}
