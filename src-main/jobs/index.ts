export { JobRunner, type JobRunnerOptions, type JobHolder } from './job-runner';
export type { JobContext, JobHandler, JobRecord, JobStatus, StepProgress } from './types';
