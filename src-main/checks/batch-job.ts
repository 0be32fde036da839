import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { AppError } from '../core/app-error';
import {
  DetectionError,
  extractText,
  OPERATING_POINTS,
  type CalibrationProfile,
  type DetectionResult,
} from '../detection';
import type { JobRunner } from '../jobs';
import { JOB_KINDS } from '../jobs/common/job-kinds';
import type { CheckStore, PendingItem } from './check-store';
import type { DetectorPool } from './detector-pool';
import { toErrorData } from './detector-protocol';
import { toAppError } from './errors';
import type { CheckResult } from './types';

export const BATCH_JOB = JOB_KINDS.checksBatch;

const payloadSchema = z.object({
  checkId: z.string().min(1),
  /** Absent in jobs queued before operating points existed: strict. */
  operatingPoint: z.enum(OPERATING_POINTS).optional(),
  /** Installed local model whose view each scored text also gets (LM-assisted); absent: off. */
  lmModel: z.string().min(1).max(300).optional(),
});

interface BatchState {
  /** Position of the next item to score; items before it are stored. */
  next: number;
}

export interface BatchJobOptions {
  /** Items scored per worker call (default 8): amortises the round trip without delaying cancel. */
  chunkItems?: number;
  /** Characters per worker call (default 300k), so one call stays a few seconds at most. */
  chunkChars?: number;
}

/** What the batch job needs of the check service: the rows, and a way to announce the end. */
export interface BatchHost {
  readonly store: CheckStore;
  notifyFinished(checkId: string): void;
  /** The result with the local model's view folded in (LM-assisted batches); refuses a model that fails the gate. */
  assistWithLm?(model: string, text: string, result: DetectionResult, signal: AbortSignal): Promise<CheckResult>;
}

/**
 * Scores a check's items in order. Each item's result is written in the same transaction as the
 * checkpoint that moves past it (`ctx.step`), so a job killed mid-way resumes at the first
 * unscored item and never scores or stores an item twice. Files named by path are read here
 * (docx/pdf included); a file that cannot be read gets its error stored and the batch carries on.
 */
export function registerCheckJobs(
  jobs: JobRunner,
  checks: BatchHost,
  pool: DetectorPool,
  options: BatchJobOptions = {},
): void {
  const chunkItems = options.chunkItems ?? 8;
  const chunkChars = options.chunkChars ?? 300_000;
  // Debug aid for crash tests, as for document imports.
  const stepDelayMs = Number(process.env.PALIMPSEST_JOB_STEP_DELAY_MS ?? 0);
  jobs.register<z.infer<typeof payloadSchema>, BatchState, { scored: number; failed: number }>({
    kind: BATCH_JOB,
    payloadSchema,
    async run(ctx) {
      const { checkId } = ctx.payload;
      const { store } = checks;
      const profile: CalibrationProfile | undefined = store.profileOf(checkId) ?? undefined;
      const items = store.pendingItems(checkId);
      const total = store.summary(checkId).total;
      let next = ctx.state?.next ?? 0;
      const todo = items.filter((i) => i.position >= next);
      // Documents stored as failed before the job started (files the browser could not read) count as done.
      let done = total - todo.length;
      ctx.progress(done, total, next > 0 ? `Resuming at file ${next + 1} of ${total}` : `Checking ${total} files`);
      // Fail the whole job early, with one clear message, when the model is missing.
      await abortable(pool.defaults(), ctx.signal).catch((e: unknown) => {
        throw ctx.signal.aborted ? e : toAppError(e);
      });
      for (let k = 0; k < todo.length;) {
        ctx.signal.throwIfAborted();
        const chunk: Array<PendingItem & { text: string | null; error: ReturnType<typeof toErrorData> | null }> = [];
        let chars = 0;
        while (k < todo.length && chunk.length < chunkItems && (chunk.length === 0 || chars < chunkChars)) {
          const item = todo[k++]!;
          let text = item.body;
          let error: ReturnType<typeof toErrorData> | null = null;
          if (text === null) {
            try {
              text = (await extractText(item.source)).text.replace(/\r\n?/g, '\n');
            } catch (e) {
              error = toErrorData(DetectionError.from(e));
            }
          }
          chars += text?.length ?? 0;
          chunk.push({ ...item, text, error });
        }
        const texts = chunk.filter((c) => c.text !== null).map((c) => c.text!);
        const results = await abortable(
          pool.detectMany(texts, { profile, segments: true, operatingPoint: ctx.payload.operatingPoint ?? 'strict' }),
          ctx.signal,
        );
        let r = 0;
        for (const c of chunk) {
          const res = c.text === null ? null : results[r++]!;
          const error = c.error ?? (DetectionError.isInstance(res) ? toErrorData(res) : null);
          let result: CheckResult | null = res && !DetectionError.isInstance(res) ? res : null;
          const { lmModel } = ctx.payload;
          if (result && lmModel) {
            if (!checks.assistWithLm) throw new AppError('unavailable', 'LM-assisted checks need the local engine.');
            // The model's failure (or refusal by the gate) fails the job with its message; Stop aborts it.
            result = await checks.assistWithLm(lmModel, c.text!, result, ctx.signal);
          }
          next = c.position + 1;
          done++;
          ctx.step(
            (db) =>
              store.recordOutcome(
                checkId,
                c.position,
                {
                  text: c.text,
                  result,
                  error: error ? { code: error.code, userMessage: error.userMessage } : null,
                  scoredAt: Date.now(),
                },
                db,
              ),
            { state: { next }, done, total, message: c.source.split(/[\\/]/).pop() },
          );
          if (stepDelayMs > 0) await sleep(stepDelayMs, undefined, { signal: ctx.signal }).catch(() => {});
        }
      }
      const s = store.summary(checkId);
      checks.notifyFinished(checkId);
      return { scored: s.done - s.failed, failed: s.failed };
    },
  });
}

/** Rejects as soon as `signal` aborts (the worker finishes its call in the background). */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
