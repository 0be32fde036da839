import type Database from 'better-sqlite3';
import { AppError, notFound } from '../core/app-error';
import { Emitter } from '../core/events';
import { newId } from '../store/ids';
import type { JobContext, JobHandler, JobRecord, JobStatus, StepProgress } from './types';

interface JobRow {
  id: string;
  kind: string;
  status: JobStatus;
  payload: string;
  state: string | null;
  result: string | null;
  error: string | null;
  done: number;
  total: number | null;
  message: string;
  created_at: number;
  started_at: number | null;
  updated_at: number;
  finished_at: number | null;
}

/** Payloads larger than this are not repeated in progress events. */
const MAX_EVENT_PAYLOAD_CHARS = 4096;

export interface JobRunnerOptions {
  /** Jobs run at the same time (default 1: most jobs are CPU-bound and the machine may have 2 cores). */
  concurrency?: number;
  /** Minimum ms between progress events per job (default 100), so the UI is not flooded. */
  progressIntervalMs?: number;
}

/**
 * Persisted background jobs. Every state change is written to SQLite before it is announced;
 * on start, jobs left `running` by a killed process are re-queued and resume from their checkpoint.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler<any, any, any>>();
  private readonly active = new Map<string, AbortController>();
  private readonly changed = new Emitter<JobRecord>();
  private readonly lastEmit = new Map<string, number>();
  private readonly rate = new Map<string, { t0: number; d0: number }>();
  private readonly concurrency: number;
  private readonly progressIntervalMs: number;
  private started = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  /** Fires on every persisted change of a job (throttled for progress). */
  readonly onDidChangeJob = this.changed.event;

  constructor(
    private readonly db: Database.Database,
    options: JobRunnerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 1;
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
  }

  register<P, S, R>(handler: JobHandler<P, S, R>): void {
    if (this.handlers.has(handler.kind)) throw new TypeError(`Job kind ${handler.kind} registered twice`);
    this.handlers.set(handler.kind, handler);
  }

  /** Re-queues jobs interrupted by a crash and starts running queued jobs. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.db.prepare(`UPDATE jobs SET status = 'queued', updated_at = ? WHERE status = 'running'`).run(Date.now());
    this.pump();
  }

  /** Validates the payload, persists the job and schedules it. Returns the job id. */
  enqueue(kind: string, payload: unknown): JobRecord {
    const handler = this.handlers.get(kind);
    if (!handler) throw new AppError('bad_request', `Unknown job kind "${kind}".`);
    const parsed = handler.payloadSchema.safeParse(payload);
    if (!parsed.success) throw new AppError('bad_request', `Invalid ${kind} job: ${parsed.error.message}`);
    const now = Date.now();
    const id = newId('job');
    this.db
      .prepare(`INSERT INTO jobs (id, kind, status, payload, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?, ?)`)
      .run(id, kind, JSON.stringify(parsed.data), now, now);
    const job = this.get(id);
    this.changed.fire(job);
    this.pump();
    return job;
  }

  get(id: string): JobRecord {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
    if (!row) throw notFound('Job', id);
    return this.toRecord(row);
  }

  list(limit = 100): JobRecord[] {
    const rows = this.db.prepare(`SELECT * FROM jobs ORDER BY created_at DESC LIMIT ?`).all(limit) as JobRow[];
    return rows.map((r) => this.toRecord(r));
  }

  /** Cancels a queued or running job. Work already checkpointed stays; the job ends `cancelled`. */
  cancel(id: string): JobRecord {
    const job = this.get(id);
    if (job.status === 'queued') {
      this.finish(id, 'cancelled', null, null);
    } else if (job.status === 'running') {
      this.active.get(id)?.abort(new AppError('conflict', 'Cancelled by the user.'));
    }
    return this.get(id);
  }

  /** Resolves when nothing is queued or running (tests, CLI). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Aborts running jobs without marking them finished: they resume on the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of this.active.values()) c.abort(new Error('runner stopped'));
    while (this.active.size > 0) await new Promise((r) => setTimeout(r, 10));
  }

  private isIdle(): boolean {
    if (this.active.size > 0) return false;
    const row = this.db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued'`).get() as { n: number };
    const runnable = row.n > 0 && this.started && !this.stopped;
    return !runnable;
  }

  private pump(): void {
    if (!this.started || this.stopped) return;
    while (this.active.size < this.concurrency) {
      const kinds = [...this.handlers.keys()];
      if (kinds.length === 0) break;
      const placeholders = kinds.map(() => '?').join(',');
      const excluded = [...this.active.keys()];
      const row = this.db
        .prepare(
          `SELECT * FROM jobs WHERE status = 'queued' AND kind IN (${placeholders})
           ${excluded.length ? `AND id NOT IN (${excluded.map(() => '?').join(',')})` : ''}
           ORDER BY created_at LIMIT 1`,
        )
        .get(...kinds, ...excluded) as JobRow | undefined;
      if (!row) break;
      this.launch(row);
    }
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private launch(row: JobRow): void {
    const handler = this.handlers.get(row.kind)!;
    const controller = new AbortController();
    this.active.set(row.id, controller);
    const now = Date.now();
    this.db
      .prepare(`UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ?`)
      .run(now, now, row.id);
    this.rate.set(row.id, { t0: now, d0: row.done });
    this.changed.fire(this.get(row.id));

    const saveProgress = this.db.prepare(
      `UPDATE jobs SET done = ?, total = COALESCE(?, total), message = COALESCE(?, message), updated_at = ? WHERE id = ?`,
    );
    const saveState = this.db.prepare(`UPDATE jobs SET state = ? WHERE id = ?`);
    let payload: unknown;
    try {
      payload = handler.payloadSchema.parse(JSON.parse(row.payload));
    } catch (e) {
      this.active.delete(row.id);
      this.finish(row.id, 'failed', null, `Stored payload is invalid: ${String(e)}`);
      return;
    }
    const ctx: JobContext<unknown, unknown> = {
      jobId: row.id,
      payload,
      state: row.state ? JSON.parse(row.state) : undefined,
      signal: controller.signal,
      step: (work, next: StepProgress<unknown>) => {
        controller.signal.throwIfAborted();
        this.db
          .transaction(() => {
            work(this.db);
            saveState.run(JSON.stringify(next.state), row.id);
            saveProgress.run(next.done, next.total ?? null, next.message ?? null, Date.now(), row.id);
          })
          .immediate();
        (ctx as { state: unknown }).state = next.state;
        this.emitThrottled(row.id);
      },
      progress: (done, total, message) => {
        saveProgress.run(done, total ?? null, message ?? null, Date.now(), row.id);
        this.emitThrottled(row.id);
      },
    };
    // Run on a later tick so enqueue() returns before work starts.
    setImmediate(() => {
      handler
        .run(ctx)
        .then(
          (result) => {
            if (controller.signal.aborted) this.settleAborted(row.id, controller.signal.reason);
            else this.finish(row.id, 'succeeded', result ?? null, null);
          },
          (err: unknown) => {
            if (controller.signal.aborted) this.settleAborted(row.id, controller.signal.reason);
            else
              this.finish(
                row.id,
                'failed',
                null,
                AppError.isInstance(err) ? err.userMessage : String((err as Error)?.message ?? err),
              );
          },
        )
        .finally(() => {
          this.active.delete(row.id);
          this.lastEmit.delete(row.id);
          this.pump();
        });
    });
  }

  private settleAborted(id: string, reason: unknown): void {
    // Stopping the runner leaves the job 'running' so the next start resumes it.
    if (this.stopped && !(AppError.isInstance(reason) && reason.code === 'conflict')) return;
    this.finish(id, 'cancelled', null, null);
  }

  private finish(id: string, status: JobStatus, result: unknown, error: string | null): void {
    const now = Date.now();
    this.db
      .prepare(`UPDATE jobs SET status = ?, result = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?`)
      .run(status, result === null ? null : JSON.stringify(result), error, now, now, id);
    this.changed.fire(this.get(id));
  }

  private emitThrottled(id: string): void {
    const now = Date.now();
    if (now - (this.lastEmit.get(id) ?? 0) < this.progressIntervalMs) return;
    this.lastEmit.set(id, now);
    const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow;
    // Progress ticks arrive ~10x/s: a big payload (an import's file list) is left out of them;
    // status changes and jobs.get still carry it.
    this.changed.fire(this.toRecord(row, row.payload.length <= MAX_EVENT_PAYLOAD_CHARS));
  }

  private toRecord(row: JobRow, withPayload = true): JobRecord {
    let etaMs: number | null = null;
    const r = this.rate.get(row.id);
    if (row.status === 'running' && r && row.total && row.done > r.d0) {
      const perUnit = (Date.now() - r.t0) / (row.done - r.d0);
      etaMs = Math.max(0, Math.round(perUnit * (row.total - row.done)));
    }
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      payload: withPayload ? JSON.parse(row.payload) : undefined,
      result: row.result ? JSON.parse(row.result) : null,
      error: row.error,
      done: row.done,
      total: row.total,
      message: row.message,
      createdAt: row.created_at,
      startedAt: row.started_at,
      updatedAt: row.updated_at,
      finishedAt: row.finished_at,
      etaMs,
    };
  }
}
