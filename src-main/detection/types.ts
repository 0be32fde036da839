/** Public types of the detection service. */
import type { OperatingPoint, OperatingPointRates, ScoreMeaning, Verdict } from './common/bands';
import type { StructureKind } from './common/structure';
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
  /** Band this passage falls in (never stronger than the document's unless the document is `llm`). */
  verdict: Verdict;
  /** True when authorship changes between the previous segment and this one (mixed documents). */
  authorship_change: boolean;
  word_count: number;
}

export type AbstainReason = 'too_short' | 'unsupported_language';

export interface DetectionResult {
  /** The one verdict, in three bands; `inconclusive` when abstained (no judgement). */
  verdict: Verdict;
  /** Operating point whose thresholds produced `verdict`. */
  operating_point: OperatingPoint;
  /** Lower edge of the `inconclusive` band (the `llm` band starts at `threshold`). */
  inconclusive_from: number;
  /**
   * If an LLM was involved, how: `human` unless `verdict` is `llm` (agreement rule). From the
   * document's structure when it has several segments (common/structure.ts), else the role head.
   */
  role: Role;
  /** Boundary structure found in the segments; null with fewer than two segments or when abstained. */
  structure: StructureKind | null;
  /**
   * The LLM side of a boundary judged on its own (common/structure.ts `llmSideLogit`): its
   * probability and the opening words of its first passage. Present only when a boundary is shown
   * (a `suffix` or `block` structure under a verdict other than `human`); it can raise a `human`
   * document to `inconclusive` (`verdictWithBoundary`), never to `llm`.
   */
  llm_side?: { ai_probability: number; opening: string };
  /**
   * What the score means: how often human / LLM texts of this length scored this high out-of-source.
   * Null when abstained or when the model ships no distributions.
   */
  score_meaning: ScoreMeaning | null;
  role_probs: RoleProbs;
  /** Estimated share of the text written or changed by an LLM, in [0,1]. */
  involvement: number;
  /** Calibrated probability that an LLM was involved at all. */
  ai_probability: number;
  /** Rough uncertainty band for ai_probability (wider for short texts). */
  confidence_band: [number, number];
  /** Flag threshold (start of the `llm` band) of the operating point, default or the profile's. */
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
  /** Default `strict`. */
  operatingPoint?: OperatingPoint;
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
  /** Decision threshold on the recalibrated probability (the strict operating point). */
  threshold: number;
  /** Flag threshold of the standard operating point on this population (absent in older profiles). */
  standardThreshold?: number;
  /** Lower edge of the inconclusive band under the standard point (absent in older profiles). */
  standardFloor?: number;
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
  readonly defaults: {
    threshold: number;
    platt: { a: number; b: number };
    targetFpr: number;
    minWords: number;
    /** Out-of-source rates of each operating point; null when the model ships none (older manifest). */
    operatingPoints: Record<OperatingPoint, OperatingPointRates> | null;
  };
  readonly disposed: boolean;
  dispose(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
