import type { App } from '../app';
import { CliError, ProgressBar } from './output';

/** Starts the runner, shows the job's progress on stderr and resolves with its result. */
export async function runJobToEnd<R = any>(app: App, jobId: string, label: string): Promise<R> {
  const bar = new ProgressBar(label);
  const off = app.jobs.onDidChangeJob((j) => {
    if (j.id === jobId) bar.update(j.done, j.total, '');
  });
  const interrupt = () => app.jobs.cancel(jobId);
  process.once('SIGINT', interrupt);
  try {
    app.jobs.start();
    await app.jobs.whenIdle();
    const job = app.jobs.get(jobId);
    if (job.status === 'failed') throw new CliError(job.error ?? 'The job failed.');
    if (job.status === 'cancelled') throw new CliError('Cancelled.', 130);
    return job.result as R;
  } finally {
    off();
    process.off('SIGINT', interrupt);
  }
}
