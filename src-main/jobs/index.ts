export { JobRunner, type JobRunnerOptions } from './job-runner';
export type { JobContext, JobHandler, JobRecord, JobStatus, StepProgress } from './types';
