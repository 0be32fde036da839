/** Public types of the checks capability (what the API returns and the UI renders). */
import type {
  CalibrationProfile,
  DetectionResult,
  LmFeatures,
  OperatingPoint,
  OperatingPointRates,
} from '../detection';
import type { JobStatus } from '../jobs';

export type CheckKind = 'text' | 'batch';

/** One run of the detector over pasted text or a set of files. */
export interface CheckSummary {
  id: string;
  name: string;
  kind: CheckKind;
  /** For batches, the live status of its job. */
  status: JobStatus;
  jobId: string | null;
  /** Calibration profile used; null means the model's shipped calibration. */
  profileId: string | null;
  profileName: string | null;
  createdAt: number;
  /** Documents in the check. */
  total: number;
  /** Documents scored or failed so far. */
  done: number;
  /** Documents that could not be read or scored. */
  failed: number;
}

/** One document of a check. `text` is only included by `getItem`. */
export interface CheckItem {
  checkId: string;
  position: number;
  /** File name or path, or 'Pasted text'. */
  source: string;
  wordCount: number | null;
  result: CheckResult | null;
  error: { code: string; userMessage: string } | null;
  scoredAt: number | null;
  text?: string;
}

/** The local model that assisted a text check (LM-assisted mode). */
export interface LmModelRef {
  /** Installed model id (its path in the models folder without `.gguf`). */
  id: string;
  /** `general.name` from the GGUF header, when it has one. */
  name: string | null;
}

/**
 * What a text check stores when LM assistance was asked for (experimental; see
 * src-main/checks/lm-assist.ts). `combineWithLm`'s fields, plus which model and what it cost.
 */
export interface LmAssistFields {
  /** True when the model's features moved the verdict; false for a text without a verdict (not scored) or too few tokens. */
  lm_assisted: boolean;
  /** Absent when the text was not scored (the detector abstained). */
  lm_features?: LmFeatures;
  /** Shift applied to the calibrated AI logit (0 when not assisted). */
  lm_logit_shift: number;
  lm_model: LmModelRef;
  /** The text had more tokens than were scored. */
  lm_truncated?: boolean;
  /** Wall-clock ms the scoring took (model load included when it was not loaded yet). */
  lm_ms?: number;
  /** The detector's own score before the model's view (when it moved the score). */
  lm_score_before?: number;
  /** The shift in plain words: "This model's view raised the score from 41% to 58%." */
  lm_shift_note?: string;
}

/** A document's stored result: the detector's, with the LM fields when LM assistance was asked for. */
export type CheckResult = DetectionResult & Partial<LmAssistFields>;

export interface CheckDetail extends CheckSummary {
  items: CheckItem[];
}

/** A calibration profile as listed in the UI; `profile.report` holds the before/after rates. */
export interface ProfileSummary {
  id: string;
  name: string;
  createdAt: number;
  active: boolean;
  /** The profile that was active before this one was activated (null: the shipped default). */
  previousId: string | null;
  profile: CalibrationProfile;
}

/** Whether detection can run, and which calibration is in force. */
export interface ChecksStatus {
  /** False when models/detect holds no model yet; `reason` says what to do. */
  modelAvailable: boolean;
  reason: string | null;
  /** Out-of-source rates of each operating point, for where the educator picks one (null: older model). */
  operatingPoints: Record<OperatingPoint, OperatingPointRates> | null;
  /** Known-human and known-LLM texts (each) recalibration needs to refit the slope, not only the threshold. */
  recalibrationTexts: number;
  activeProfile: ProfileSummary | null;
  /** 'worker' normally; 'in-process' when the worker entry was not built. */
  runsIn: 'worker' | 'in-process';
}

/** Fired after checks or profiles change (not per scored item: follow the job for progress). */
export interface CheckChangeEvent {
  kind: 'check-created' | 'check-deleted' | 'check-finished' | 'profiles-changed';
  id: string | null;
}
