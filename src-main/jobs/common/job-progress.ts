/** How a job's progress reads, for the UI's jobs bar and the Detect view. */
import type { JobStatus } from './job-status';

/** "about 40s left", "about 3m 5s left"; '' when unknown. */
export function etaText(ms: number | null): string {
  if (ms === null) return '';
  const s = Math.round(ms / 1000);
  return s < 60 ? `about ${s}s left` : `about ${Math.floor(s / 60)}m ${s % 60}s left`;
}

/** "12 of 40" when the total is known, else the status in words. */
export function progressText(job: { status: JobStatus; done: number; total: number | null }): string {
  if (job.total) return `${job.done.toLocaleString('en')} of ${job.total.toLocaleString('en')}`;
  return job.status === 'queued' ? 'waiting to start' : job.status;
}
