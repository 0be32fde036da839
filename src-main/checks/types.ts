/** Public types of the checks capability (what the API returns and the UI renders). */
import type { CalibrationProfile, DetectionResult } from '../detection';
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
  result: DetectionResult | null;
  error: { code: string; userMessage: string } | null;
  scoredAt: number | null;
  text?: string;
}

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
  activeProfile: ProfileSummary | null;
  /** 'worker' normally; 'in-process' when the worker entry was not built. */
  runsIn: 'worker' | 'in-process';
}

/** Fired after checks or profiles change (not per scored item: follow the job for progress). */
export interface CheckChangeEvent {
  kind: 'check-created' | 'check-deleted' | 'check-finished' | 'profiles-changed';
  id: string | null;
}
