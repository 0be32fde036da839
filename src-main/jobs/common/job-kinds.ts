/**
 * Every kind of background job, with the words the UI and the CLI show for it. Each capability
 * registers its handler under one of these names, so a job kind is spelt once.
 */
export const JOB_KINDS = {
  /** A folder or list of .txt/.md files imported as documents (documents/import-job.ts). */
  documentsImport: 'documents.import',
  /** A batch detection check over files or texts (checks/batch-job.ts). */
  checksBatch: 'checks.batch',
  /** A model download from the catalog (llm/download/model-download-job.ts). */
  modelsDownload: 'models.download',
  /** Stories written over a grid of prompts × author sets (stories/batch-job.ts). */
  storiesBatch: 'stories.batch',
  /** A story dataset folder written (stories/dataset/export-job.ts). */
  storiesExport: 'stories.export',
  /** Files or folders added to the reference library (library/add-job.ts). */
  libraryAdd: 'library.add',
} as const;

export type JobKind = (typeof JOB_KINDS)[keyof typeof JOB_KINDS];

export const JOB_KIND_LABELS: Record<JobKind, string> = {
  'documents.import': 'Importing documents',
  'checks.batch': 'Checking files',
  'models.download': 'Downloading a model',
  'library.add': 'Adding to the library',
  'stories.batch': 'Writing stories',
  'stories.export': 'Exporting stories',
};

/** The label of a job kind; a kind this build does not know (a newer CLI's) reads as "Background job". */
export const jobKindLabel = (kind: string): string => JOB_KIND_LABELS[kind as JobKind] ?? 'Background job';
