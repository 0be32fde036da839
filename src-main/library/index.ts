export { LibraryService, NO_EMBEDDING_MODEL_NOTICE, type LibraryServiceOptions } from './library-service';
export { registerLibraryJobs } from './add-job';
export { ADD_JOB } from './add-payload';
export * from './common/contract';
