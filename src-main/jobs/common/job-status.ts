/** Job states and the one rule for "still to finish", shared by the runner, the CLI and the UI. */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** States a job can still leave: it is waiting for a runner or running now. */
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['queued', 'running'];

/** Whether a job is queued or running (not finished, failed or cancelled). */
export const isJobActive = (job: { status: JobStatus }): boolean => ACTIVE_JOB_STATUSES.includes(job.status);
