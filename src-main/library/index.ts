export { LibraryService, NO_EMBEDDING_MODEL_NOTICE, type LibraryServiceOptions } from './library-service';
export { registerLibraryJobs, ADD_JOB } from './add-job';
export * from './common/contract';
