import type { App } from '../app';
import type { JobRecord } from '../jobs';
import { CliError, ProgressBar } from './output';

/** How often the bar is redrawn from the database, for a job another process runs. */
const POLL_MS = 500;

/**
 * Starts the runner, shows the job's progress on stderr and resolves with its result. The job may
 * run here or in another process on the same data folder (its lease holder): either way this
 * waits for it to finish, and Ctrl+C cancels it.
 */
export async function runJobToEnd<R = any>(app: App, jobId: string, label: string): Promise<R> {
  const bar = new ProgressBar(label);
  const show = (j: JobRecord) => bar.update(j.done, j.total, '');
  const off = app.jobs.onDidChangeJob((j) => {
    if (j.id === jobId) show(j);
  });
  const poll = setInterval(() => show(app.jobs.get(jobId)), POLL_MS);
  const interrupt = () => app.jobs.cancel(jobId);
  process.once('SIGINT', interrupt);
  try {
    app.jobs.start();
    const job = await app.jobs.whenDone(jobId);
    // Work this process picked up meanwhile is finished too, not left to the next resume.
    await app.jobs.whenIdle();
    if (job.status === 'failed') throw new CliError(job.error ?? 'The job failed.');
    if (job.status === 'cancelled') throw new CliError('Cancelled.', 130);
    return job.result as R;
  } finally {
    clearInterval(poll);
    off();
    process.off('SIGINT', interrupt);
  }
}
