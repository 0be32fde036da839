import type { Migration } from './types';

/**
 * Job leases: the runner that claimed a job writes its owner id (host, pid, a random part) and
 * renews `lease_expires_at` with a heartbeat while it runs. Another process resumes a `running` job
 * only once its lease has expired or its owner's pid is gone, so two processes on one data folder
 * never run the same job twice.
 */
const migration: Migration = {
  version: 4,
  name: 'job-leases',
  up: /* sql */ `
    -- "<host>:<pid>:<random>" of the JobRunner holding the job; NULL while queued or finished.
    ALTER TABLE jobs ADD COLUMN owner TEXT;
    -- ms since the epoch; a running job whose lease is NULL or past is free to be resumed.
    ALTER TABLE jobs ADD COLUMN lease_expires_at INTEGER;
    -- Set by cancel() in a process that does not hold the job; the holder stops at its next step.
    ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
  `,
};
export default migration;
