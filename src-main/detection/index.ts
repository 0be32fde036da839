/**
 * Detection service: LLM role recognition, involvement measurement, calibrated AI-likelihood and
 * per-segment highlighting. This file is the only entry point of src-main/detection.
 */
export { createDetector, defaultModelsDir, MIN_WORDS, MAX_CHARS, type CreateDetectorOptions } from './detector';
export { recalibrate, isCalibrationProfile, MIN_TEXTS_FOR_SLOPE, type RecalibrateOptions } from './recalibrate';
export { DetectionError, type DetectionErrorCode } from './errors';
export { extractText, MAX_FILE_BYTES, SUPPORTED_EXTENSIONS, decodeText } from './extract-text';
export { ROLE_NAMES } from './verdict';
export type {
  AbstainReason,
  CalibrationProfile,
  DetectOptions,
  DetectionResult,
  Detector,
  Role,
  RoleProbs,
  SegmentResult,
} from './types';
export {
  combineWithLm,
  lmFeatures,
  lmLogitShift,
  FDG_SCALE,
  MAX_LM_WEIGHT,
  MIN_LM_TOKENS,
  type CombineWithLmOptions,
  type LmAssistedResult,
  type LmFeatures,
  type TokenScores,
} from './lm-assist';
export {
  OPERATING_POINTS,
  VERDICTS,
  verdictFor,
  scoreMeaning,
  type OperatingPoint,
  type OperatingPointRates,
  type ScoreDistribution,
  type ScoreMeaning,
  type Verdict,
  type VerdictBand,
} from './common/bands';
export { agreeWithVerdict, shownNumbers, type ShownNumbers } from './common/agreement';
export { judgeLmGate, perplexityOf, REFERENCE_TEXT, type LmGateResult } from './common/lm-gate';
export { countParameters } from './lm-gate';
export { bandFor } from './detector';
