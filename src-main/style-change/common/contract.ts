/**
 * Style-change analysis (PAN multi-author analysis): where authorship changes between consecutive
 * units of a text, how many authors wrote it, and which known author wrote each unit. Used by the
 * stories capability (datasets, the Stories view's analysis) and by detection (mixed documents).
 * Pure types; the implementation lives in src-main/style-change/.
 */

export const ANALYSIS_UNITS = ['paragraph', 'sentence'] as const;
export type AnalysisUnit = (typeof ANALYSIS_UNITS)[number];

/** One unit of the analysed text with its character offsets in it. */
export interface TextUnit {
  start: number;
  end: number;
  text: string;
}

export interface StyleChangeResult {
  unit: AnalysisUnit;
  units: TextUnit[];
  /** P(authorship changes between unit i and i+1); length units.length - 1. */
  changeProbability: number[];
  /** 0/1 per consecutive pair, PAN's `changes` (probability ≥ the model's threshold). */
  changes: number[];
  /** Estimated number of authors (PAN's `authors`). */
  authors: number;
  /** Which model produced it: a model trained on exported truth, or the untrained default. */
  model: { name: string; trainedOn: string | null };
}

/** Attribution of each unit to one of the known authors (given sample texts per author). */
export interface AttributionResult {
  units: TextUnit[];
  /** Per unit: the author id most likely, and the probability over the candidates. */
  assignments: Array<{ authorId: string; probability: number }>;
}

/** What the analysis runs on: the untrained default or a model fitted by `stories analyze train`. */
export interface AnalysisModelInfo {
  name: string;
  trained: boolean;
  trainedAt: number | null;
  /** The folder of PAN problems it was fitted on. */
  trainedOn: string | null;
  problems: number;
  pairs: number;
  /** Macro F1 (PAN's measure) on the training problems. */
  trainF1: number | null;
  /** Macro F1 on the export's validation split (the `validation` folder beside the training one), if any. */
  validationF1: number | null;
  threshold: number;
}

/** The known authorship of a text's units (a stored story's parts), drawn beside the predictions. */
export interface StyleChangeTruth {
  /** Per unit: the author who wrote it. */
  unitAuthors: string[];
  changes: number[];
  authors: number;
}
