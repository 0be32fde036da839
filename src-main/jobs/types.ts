import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { JobStatus } from './common/job-status';

export type { JobStatus } from './common/job-status';

/** A job as stored and as sent to the UI. */
export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  payload?: unknown;
  result?: unknown;
  error: string | null;
  done: number;
  total: number | null;
  message: string;
  createdAt: number;
  startedAt: number | null;
  updatedAt: number;
  finishedAt: number | null;
  /** Estimated ms left from the observed rate, null when unknown. */
  etaMs: number | null;
  /**
   * The other live process running this job (the CLI, a second window's server), or null: not
   * running, run by the runner that answered, or left by a process that is gone (resumable).
   */
  holder: { host: string; pid: number } | null;
}

export interface StepProgress<S> {
  /** Checkpoint a resumed run starts from. */
  state: S;
  done: number;
  total?: number;
  message?: string;
}

export interface JobContext<P, S> {
  readonly jobId: string;
  readonly payload: P;
  /** Checkpoint saved by the last `step`, or undefined on a fresh start. */
  readonly state: S | undefined;
  /** Aborted when the job is cancelled or the runner stops. */
  readonly signal: AbortSignal;
  /**
   * Runs `work` (synchronous database writes) and saves the new checkpoint and progress in ONE
   * transaction: after a crash either both happened or neither did, so nothing is done twice.
   */
  step(work: (db: Database.Database) => void, next: StepProgress<S>): void;
  /** Progress without a checkpoint (for work that is not resumable mid-way). */
  progress(done: number, total?: number, message?: string): void;
}

export interface JobHandler<P = unknown, S = unknown, R = unknown> {
  kind: string;
  /** Validates payloads at enqueue time and again before a resumed run. */
  payloadSchema: z.ZodType<P>;
  run(ctx: JobContext<P, S>): Promise<R>;
}
