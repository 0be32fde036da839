import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { JobRunner } from '../jobs';
import { JOB_KINDS } from '../jobs/common/job-kinds';
import type { DocumentService } from './document-service';
import { listTextFiles, readTextFile } from './text-files';

export const IMPORT_JOB = JOB_KINDS.documentsImport;

const payloadSchema = z.object({
  /** Absolute paths of files, or one folder whose .txt/.md files are imported. */
  paths: z.array(z.string().min(1)).min(1),
});

interface ImportState {
  /** Files already handled (imported or skipped), in list order. */
  next: number;
  files: string[];
  /** Count only: the state is rewritten every step, so it must stay small. */
  imported: number;
  errors: Array<{ file: string; error: string }>;
}

/**
 * Imports many files as a resumable job: each document is created in the same transaction as the
 * checkpoint that moves past its file, so a killed import resumes without duplicates or gaps.
 */
export function registerDocumentJobs(jobs: JobRunner, documents: DocumentService): void {
  // Debug aid for crash tests: slows each step so a process can be killed mid-way.
  const stepDelayMs = Number(process.env.PALIMPSEST_JOB_STEP_DELAY_MS ?? 0);
  jobs.register<z.infer<typeof payloadSchema>, ImportState, { imported: number; errors: ImportState['errors'] }>({
    kind: IMPORT_JOB,
    payloadSchema,
    async run(ctx) {
      const state: ImportState = ctx.state ?? {
        next: 0,
        files:
          ctx.payload.paths.length === 1 && !/\.(txt|md|markdown)$/i.test(ctx.payload.paths[0]!)
            ? listTextFiles(ctx.payload.paths[0]!)
            : ctx.payload.paths,
        imported: 0,
        errors: [],
      };
      const total = state.files.length;
      ctx.progress(state.next, total, `Importing ${total} files`);
      while (state.next < total) {
        ctx.signal.throwIfAborted();
        const file = state.files[state.next]!;
        let read: { title: string; body: string } | null = null;
        let error: string | null = null;
        try {
          read = readTextFile(file);
        } catch (e) {
          error = (e as { userMessage?: string }).userMessage ?? String(e);
        }
        const next: ImportState = {
          ...state,
          next: state.next + 1,
          errors: error ? [...state.errors, { file, error }] : state.errors,
        };
        ctx.step(
          () => {
            if (read) {
              documents.create({ ...read, operation: 'import' });
              next.imported = state.imported + 1;
            }
          },
          { state: next, done: next.next, total, message: file },
        );
        Object.assign(state, next);
        if (stepDelayMs > 0) await sleep(stepDelayMs);
        else if (state.next % 50 === 0) await sleep(0); // let cancel and progress events through
      }
      return { imported: state.imported, errors: state.errors };
    },
  });
}
