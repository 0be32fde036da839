import type { JobRecord } from '../../../../src-main/jobs';
import { isJobActive } from '../../../../src-main/jobs/common/job-status';
import { api, errorMessage } from '../../api/client';
import { toasts } from '../shell/toasts.svelte';

/**
 * How often the window re-reads the job list while it is visible. `jobs.onDidChange` reports only
 * this app's runner; the list also holds jobs that another process on the same data folder (the
 * CLI, a second window) started, so polling is what makes those visible.
 */
export const JOBS_POLL_MS = 3000;

/** Jobs kept in view (the list and the failures); older ones drop off. */
const KEEP = 50;

/**
 * Live view of background jobs, fed by the jobs.onDidChange subscription and, for jobs other
 * processes run, by polling jobs.list while the window is visible.
 */
export class JobsState {
  jobs = $state<JobRecord[]>([]);
  active = $derived(this.jobs.filter(isJobActive));
  /** Jobs seen running that then failed, newest first, until dismissed. */
  failures = $state<JobRecord[]>([]);
  private stops: Array<() => void> = [];
  private polling = false;
  private readonly startedAt = Date.now();

  constructor(private readonly pollMs = JOBS_POLL_MS) {}

  async start(): Promise<void> {
    const sub = api.jobs.onDidChange.subscribe(undefined, {
      onData: (job) => this.merge(job),
      onError: (e) => toasts.error(errorMessage(e)),
    });
    this.stops.push(() => sub.unsubscribe());
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void this.poll();
    }, this.pollMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void this.poll();
    };
    document.addEventListener('visibilitychange', onVisible);
    this.stops.push(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    });
    await this.poll(true);
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  async cancel(id: string): Promise<void> {
    try {
      await api.jobs.cancel.mutate({ id });
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  dismiss(id: string): void {
    this.failures = this.failures.filter((j) => j.id !== id);
  }

  /** Reads the job list; a failed first read says so, later ones stay quiet (the next poll retries). */
  private async poll(first = false): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const list = await api.jobs.list.query({ limit: KEEP });
      for (const job of [...list].reverse()) this.merge(job);
    } catch (e) {
      if (first) toasts.error(errorMessage(e));
    } finally {
      this.polling = false;
    }
  }

  /** Takes in a job's latest state, whichever way it arrived; older states are ignored. */
  private merge(job: JobRecord): void {
    const i = this.jobs.findIndex((j) => j.id === job.id);
    const before = i >= 0 ? this.jobs[i] : undefined;
    if (before && !isLaterState(job, before)) return;
    if (before) this.jobs[i] = job;
    else this.jobs = [job, ...this.jobs].slice(0, KEEP);
    // Only a failure seen happening is news; one from before the window opened is history.
    const sawItRun = before ? isJobActive(before) : false;
    if (job.status === 'failed' && (sawItRun || (!before && this.seenStart(job))))
      this.failures = [job, ...this.failures.filter((j) => j.id !== job.id)].slice(0, KEEP);
  }

  /** A job created after this window started, reported straight as failed (it failed fast). */
  private seenStart(job: JobRecord): boolean {
    return job.createdAt >= this.startedAt;
  }
}

/** Whether `a` is the same or a later state of a job than `b` (a finished state wins ties). */
export function isLaterState(a: JobRecord, b: JobRecord): boolean {
  if (!isJobActive(b) && isJobActive(a)) return false;
  if (!isJobActive(a) && isJobActive(b)) return true;
  return a.updatedAt >= b.updatedAt;
}
