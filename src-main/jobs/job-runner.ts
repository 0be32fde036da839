import type Database from 'better-sqlite3';
import { AppError, notFound } from '../core/app-error';
import { Emitter } from '../core/events';
import { newId } from '../store/ids';
import { isJobActive } from './common/job-status';
import { newOwnerId, ownerMayBeAlive, parseOwnerId } from './job-owner';
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
  owner: string | null;
  lease_expires_at: number | null;
}

/** Payloads larger than this are not repeated in progress events. */
const MAX_EVENT_PAYLOAD_CHARS = 4096;

/** Thrown inside a job whose lease another runner took over (this runner stalled past its lease). */
class LeaseLostError extends Error {}

export interface JobRunnerOptions {
  /** Jobs run at the same time (default 1: most jobs are CPU-bound and the machine may have 2 cores). */
  concurrency?: number;
  /** Minimum ms between progress events per job (default 100), so the UI is not flooded. */
  progressIntervalMs?: number;
  /**
   * How long a claim on a running job stays valid without a heartbeat, in ms (default 30 000).
   * After that another process may resume the job; sooner when the owner's pid is gone.
   */
  leaseMs?: number;
  /**
   * Ms between heartbeats (default leaseMs / 6). Each renews this runner's leases and picks up jobs
   * other processes queued or left behind.
   */
  heartbeatMs?: number;
}

/** Who holds a running job, for `jobs resume` and the UI. */
export interface JobHolder {
  host: string;
  pid: number;
}

/**
 * Persisted background jobs, shared by every process on one data folder. Every state change is
 * written to SQLite before it is announced. A runner claims a job atomically and holds it with a
 * lease renewed by a heartbeat; a job left `running` is resumed from its checkpoint only once its
 * owner is gone (pid dead on this host, or lease expired), so no job runs in two places at once.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler<any, any, any>>();
  private readonly active = new Map<string, AbortController>();
  private readonly changed = new Emitter<JobRecord>();
  private readonly lastEmit = new Map<string, number>();
  private readonly rate = new Map<string, { t0: number; d0: number }>();
  private readonly concurrency: number;
  private readonly progressIntervalMs: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private heartbeat: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  /** This runner's owner id, `<host>:<pid>:<random>`, written on the jobs it claims. */
  readonly ownerId = newOwnerId();

  /** Fires on every persisted change of a job (throttled for progress). */
  readonly onDidChangeJob = this.changed.event;

  constructor(
    private readonly db: Database.Database,
    options: JobRunnerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 1;
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(this.leaseMs / 6));
  }

  register<P, S, R>(handler: JobHandler<P, S, R>): void {
    if (this.handlers.has(handler.kind)) throw new TypeError(`Job kind ${handler.kind} registered twice`);
    this.handlers.set(handler.kind, handler);
  }

  /**
   * Starts running queued jobs and jobs whose owner is gone, and the heartbeat that keeps this
   * runner's leases and looks for new work. Jobs another live process holds are left alone.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    // The heartbeat alone must not keep a CLI process alive; running work does.
    this.heartbeat.unref();
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

  /**
   * Cancels a queued or running job. Work already checkpointed stays; the job ends `cancelled`.
   * A job running in another process is asked to stop; it ends at its next checkpoint.
   */
  cancel(id: string): JobRecord {
    const job = this.get(id);
    if (job.status === 'queued') {
      const now = Date.now();
      const res = this.db
        .prepare(
          `UPDATE jobs SET status = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ? AND status = 'queued'`,
        )
        .run(now, now, id);
      if (res.changes === 1) this.changed.fire(this.get(id));
      else return this.cancel(id); // claimed meanwhile: cancel it as a running job
    } else if (job.status === 'running') {
      const local = this.active.get(id);
      if (local) local.abort(new AppError('conflict', 'Cancelled by the user.'));
      else this.db.prepare(`UPDATE jobs SET cancel_requested = 1 WHERE id = ?`).run(id);
    }
    return this.get(id);
  }

  /**
   * What a resume would do now: jobs this runner may run (queued, or left by an owner that is
   * gone) and running jobs another live process holds. Starts the runner on the first.
   */
  resume(): { resumable: JobRecord[]; heldElsewhere: JobRecord[] } {
    this.releaseDeadOwners();
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at`)
      .all() as JobRow[];
    const jobs = rows.map((r) => this.toRecord(r));
    const heldElsewhere = jobs.filter((j) => j.holder !== null && !this.active.has(j.id));
    const resumable = jobs.filter((j) => !heldElsewhere.includes(j) && this.handlers.has(j.kind));
    this.start();
    this.pump();
    return { resumable, heldElsewhere };
  }

  /** Resolves when nothing this runner could run is queued or running here (tests, CLI). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Resolves with the job once it has finished, whichever process runs it: local changes are
   * seen at once, another process's by polling the database every `pollMs`.
   */
  async whenDone(id: string, pollMs = 200): Promise<JobRecord> {
    for (;;) {
      const job = this.get(id);
      if (!isJobActive(job)) return job;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, pollMs);
        const off = this.onDidChangeJob((j) => {
          if (j.id === id && !isJobActive(j)) finish();
        });
        function finish() {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    }
  }

  /**
   * Aborts running jobs without marking them finished and gives up their leases: they resume on
   * the next start, in this process or another.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const c of this.active.values()) c.abort(new Error('runner stopped'));
    while (this.active.size > 0) await new Promise((r) => setTimeout(r, 10));
    this.db
      .prepare(`UPDATE jobs SET owner = NULL, lease_expires_at = NULL WHERE owner = ? AND status = 'running'`)
      .run(this.ownerId);
  }

  /** Renews this runner's leases, honours cancellations asked for by other processes, looks for work. */
  private beat(): void {
    if (!this.started || this.stopped || !this.db.open) return;
    if (this.active.size > 0) {
      this.db
        .prepare(`UPDATE jobs SET lease_expires_at = ? WHERE owner = ? AND status = 'running'`)
        .run(Date.now() + this.leaseMs, this.ownerId);
      const cancelled = this.db
        .prepare(`SELECT id FROM jobs WHERE owner = ? AND status = 'running' AND cancel_requested = 1`)
        .pluck()
        .all(this.ownerId) as string[];
      for (const id of cancelled) this.active.get(id)?.abort(new AppError('conflict', 'Cancelled by the user.'));
    }
    this.pump();
  }

  /** Frees the leases of owners on this host whose process is gone (kill -9), so they resume at once. */
  private releaseDeadOwners(): void {
    const owners = this.db
      .prepare(`SELECT DISTINCT owner FROM jobs WHERE status = 'running' AND owner IS NOT NULL AND owner != ?`)
      .pluck()
      .all(this.ownerId) as string[];
    for (const owner of owners) {
      if (ownerMayBeAlive(owner)) continue;
      this.db
        .prepare(`UPDATE jobs SET owner = NULL, lease_expires_at = NULL WHERE owner = ? AND status = 'running'`)
        .run(owner);
    }
  }

  /** Jobs of a registered kind that may be claimed now: queued, or running with no valid lease. */
  private claimableWhere(): { sql: string; params: unknown[] } {
    const kinds = [...this.handlers.keys()];
    const excluded = [...this.active.keys()];
    return {
      sql: `kind IN (${kinds.map(() => '?').join(',')})
        AND (status = 'queued' OR (status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at <= ?)))
        ${excluded.length ? `AND id NOT IN (${excluded.map(() => '?').join(',')})` : ''}`,
      params: [...kinds, Date.now(), ...excluded],
    };
  }

  private isIdle(): boolean {
    if (this.active.size > 0) return false;
    if (!this.started || this.stopped || this.handlers.size === 0) return true;
    const { sql, params } = this.claimableWhere();
    return (
      this.db
        .prepare(`SELECT COUNT(*) FROM jobs WHERE ${sql}`)
        .pluck()
        .get(...params) === 0
    );
  }

  /** Claims one job atomically: of two runners racing for it, exactly one gets the row. */
  private claim(): JobRow | undefined {
    return this.db
      .transaction(() => {
        const { sql, params } = this.claimableWhere();
        const now = Date.now();
        return this.db
          .prepare(
            `UPDATE jobs SET status = 'running', owner = ?, lease_expires_at = ?, cancel_requested = 0,
               started_at = COALESCE(started_at, ?), updated_at = ?
             WHERE id = (SELECT id FROM jobs WHERE ${sql} ORDER BY created_at LIMIT 1)
             RETURNING *`,
          )
          .get(this.ownerId, now + this.leaseMs, now, now, ...params) as JobRow | undefined;
      })
      .immediate();
  }

  private pump(): void {
    if (!this.started || this.stopped || !this.db.open) return;
    if (this.active.size < this.concurrency && this.handlers.size > 0) this.releaseDeadOwners();
    while (this.active.size < this.concurrency && this.handlers.size > 0) {
      const row = this.claim();
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
    this.rate.set(row.id, { t0: Date.now(), d0: row.done });
    this.changed.fire(this.toRecord(row));

    const saveProgress = this.db.prepare(
      `UPDATE jobs SET done = ?, total = COALESCE(?, total), message = COALESCE(?, message), updated_at = ?
       WHERE id = ? AND owner = ?`,
    );
    const saveState = this.db.prepare(`UPDATE jobs SET state = ? WHERE id = ?`);
    const holder = this.db.prepare(`SELECT owner, cancel_requested AS cancel FROM jobs WHERE id = ?`);
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
            // Checked in the same transaction as the work: a runner that lost its lease never
            // commits a step the new owner will also do.
            const h = holder.get(row.id) as { owner: string | null; cancel: number } | undefined;
            if (h?.owner !== this.ownerId) {
              const lost = new LeaseLostError(`Job ${row.id} is now held by another runner.`);
              controller.abort(lost);
              throw lost;
            }
            if (h.cancel) {
              const cancelled = new AppError('conflict', 'Cancelled by the user.');
              controller.abort(cancelled);
              throw cancelled;
            }
            work(this.db);
            saveState.run(JSON.stringify(next.state), row.id);
            saveProgress.run(next.done, next.total ?? null, next.message ?? null, Date.now(), row.id, this.ownerId);
          })
          .immediate();
        (ctx as { state: unknown }).state = next.state;
        this.emitThrottled(row.id);
      },
      progress: (done, total, message) => {
        saveProgress.run(done, total ?? null, message ?? null, Date.now(), row.id, this.ownerId);
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
    // A lost lease belongs to the new owner; stopping the runner leaves the job 'running' for the next start.
    if (reason instanceof LeaseLostError) return;
    if (this.stopped && !(AppError.isInstance(reason) && reason.code === 'conflict')) return;
    this.finish(id, 'cancelled', null, null);
  }

  /** Ends a job this runner holds; a job whose lease was taken over is left to its new owner. */
  private finish(id: string, status: JobStatus, result: unknown, error: string | null): void {
    const now = Date.now();
    const res = this.db
      .prepare(
        `UPDATE jobs SET status = ?, result = ?, error = ?, finished_at = ?, updated_at = ?, owner = NULL,
           lease_expires_at = NULL
         WHERE id = ? AND owner = ?`,
      )
      .run(status, result === null ? null : JSON.stringify(result), error, now, now, id, this.ownerId);
    if (res.changes === 1) this.changed.fire(this.get(id));
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

  /** The live process holding a running job, or null when this runner holds it or nobody validly does. */
  private holderOf(row: JobRow): JobHolder | null {
    if (row.status !== 'running' || !row.owner || row.owner === this.ownerId) return null;
    if (row.lease_expires_at === null || row.lease_expires_at <= Date.now() || !ownerMayBeAlive(row.owner)) return null;
    return parseOwnerId(row.owner) ?? { host: 'unknown', pid: 0 };
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
      holder: this.holderOf(row),
    };
  }
}
