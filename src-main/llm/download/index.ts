/** Resumable, verified HTTP downloads, and the `models.download` job built on them. */
export {
  downloadFile,
  hashFile,
  PART_SUFFIX,
  type DownloadFileOptions,
  type DownloadResult,
  type DownloadCheckpoint,
} from './download-file';
export { DownloadError, type DownloadErrorCode } from './download-error';
export { ProgressMeter, formatBytes, type DownloadProgress } from './progress-meter';
export { freeBytes, assertFreeSpace } from './disk-space';
export {
  registerModelDownloadJob,
  enqueueCatalogDownload,
  MODEL_DOWNLOAD_JOB,
  modelDownloadPayloadSchema,
  type ModelDownloadPayload,
  type ModelDownloadState,
  type ModelDownloadResult,
  type ModelDownloadJobOptions,
} from './model-download-job';
