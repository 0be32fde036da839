/**
 * Checks: detection as the app uses it — quick checks of pasted text, resumable batch checks of
 * files and folders, stored results, CSV and HTML reports, calibration profiles — with the
 * detector running in a worker thread. This file is the only entry point of src-main/checks.
 */
export {
  CheckService,
  MAX_BATCH_CHARS,
  MAX_UPLOAD_BYTES,
  type BatchInput,
  type CheckServiceOptions,
} from './check-service';
export { registerCheckJobs, BATCH_JOB, type BatchJobOptions } from './batch-job';
export {
  createDetectorPool,
  type DetectorPool,
  type DetectorPoolOptions,
  type DetectorDefaults,
} from './detector-pool';
export { renderReport } from './report';
export { ROLE_LABELS } from './common/roles';
export { checksToCsv } from './csv';
export { MODEL_MISSING_MESSAGE } from './errors';
export { LM_MAX_TOKENS, type LmScorer } from './lm-assist';
export type {
  CheckChangeEvent,
  CheckDetail,
  CheckItem,
  CheckKind,
  CheckResult,
  CheckSummary,
  ChecksStatus,
  LmAssistFields,
  LmModelRef,
  ProfileSummary,
} from './types';
