export {
  DocumentService,
  MAX_BODY_CHARS,
  countWords,
  type DocumentRecord,
  type DocumentSummary,
  type RevisionSummary,
  type EditOperation,
  type UpdateBodyInput,
} from './document-service';
export { readTextFile, writeTextFile, listTextFiles, decodeText, TEXT_EXTENSIONS } from './text-files';
export { registerDocumentJobs, IMPORT_JOB } from './import-job';
export { exportText } from './common/text-export';
export { diffSingleRegion, type TextChange } from './text-diff';
