/** Public types of the detection service. */
import type { Role } from './verdict';

export type { Role } from './verdict';

/** Probability per role; sums to 1. */
export type RoleProbs = Record<Role, number>;

/** One highlighted stretch of the input (character offsets into the text given to `detect`). */
export interface SegmentResult {
  start: number;
  end: number;
  role: Role;
  /** Estimated share of this segment written or changed by an LLM, in [0,1]. */
  involvement: number;
  /** Calibrated probability that an LLM was involved in this segment. */
  ai_probability: number;
  /** True when the verdict differs from the previous segment's (a likely change of author). */
  authorship_change: boolean;
  word_count: number;
}

export type AbstainReason = 'too_short' | 'unsupported_language';

export interface DetectionResult {
  /** Verdict at the active threshold; `human` when abstained. */
  role: Role;
  role_probs: RoleProbs;
  /** Estimated share of the text written or changed by an LLM, in [0,1]. */
  involvement: number;
  /** Calibrated probability that an LLM was involved at all. */
  ai_probability: number;
  /** Rough uncertainty band for ai_probability (wider for short texts). */
  confidence_band: [number, number];
  /** Decision threshold that produced `role` (default or the profile's). */
  threshold: number;
  abstained: boolean;
  abstain_reason?: AbstainReason;
  /** One plain-language sentence a non-expert can read. */
  caveat: string;
  word_count: number;
  /** Detected script/language family: 'en' when English-like, else 'other'. */
  language: 'en' | 'other';
  segments: SegmentResult[];
  /** Name of the calibration profile used, when one was given. */
  profile?: string;
}

export interface DetectOptions {
  /** Per-user/population calibration from `recalibrate()`. */
  profile?: CalibrationProfile;
  /** Skip segment analysis (faster when only the document verdict is needed). Default true. */
  segments?: boolean;
}

/**
 * Recalibration for one population of writers: stored by the app per profile as plain JSON and
 * passed back to `detect()`.
 */
export interface CalibrationProfile {
  kind: 'palimpsest-detect-calibration';
  version: 1;
  name?: string;
  createdAt: string;
  /** Platt scaling applied to the model's raw AI logit. */
  platt: { a: number; b: number };
  /** Decision threshold on the recalibrated probability. */
  threshold: number;
  targetFpr: number;
  /** What the user's texts scored before and after, for the UI to show. */
  report: {
    nHuman: number;
    nLlm: number;
    /** Texts skipped (too short / not English) and why. */
    skipped: number;
    before: { fpr: number; tpr: number; threshold: number };
    after: { fpr: number; tpr: number; threshold: number };
    /** False when there were too few texts to fit a slope; only the threshold moved. */
    slopeFitted: boolean;
  };
}

/** A loaded detector. Create with `createDetector()`, release with `dispose()`. */
export interface Detector {
  /**
   * Score one text. Synchronous-friendly: CPU-bound, no I/O.
   * @throws DetectionError `empty_text` for empty/whitespace input, `disposed` after dispose().
   */
  detect(text: string, opts?: DetectOptions): Promise<DetectionResult>;
  /** Score many texts in one ONNX call per chunk (faster for batches). Errors are per item. */
  detectMany(
    texts: readonly string[],
    opts?: DetectOptions,
  ): Promise<(DetectionResult | import('./errors').DetectionError)[]>;
  /** Raw model outputs without calibration (used by recalibration). */
  rawLogits(texts: readonly string[]): Promise<number[]>;
  /** Default threshold and calibration shipped with the model. */
  readonly defaults: { threshold: number; platt: { a: number; b: number }; targetFpr: number; minWords: number };
  readonly disposed: boolean;
  dispose(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
