/**
 * The change classifier: P(authorship changes) between two units from their pair features. Either
 * the untrained default (a fixed threshold on style distance, usable before any training) or a
 * logistic regression fitted on PAN truth, with the threshold that maximized macro F1 in training.
 */
import { z } from 'zod';
import { logisticScore, sigmoid } from './logistic';
import { PAIR_FEATURE_NAMES } from './unit-profile';

export const changeModelSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  features: z.array(z.string()),
  mean: z.array(z.number()),
  std: z.array(z.number()),
  weights: z.array(z.number()),
  bias: z.number(),
  threshold: z.number().min(0).max(1),
  /** What it was fitted on (a folder), null for the default. */
  trainedOn: z.string().nullable(),
  trainedAt: z.number().nullable(),
  problems: z.number().int(),
  pairs: z.number().int(),
  /** Macro F1 on the training problems at `threshold`. */
  trainF1: z.number().nullable(),
  /** Macro F1 on the export's validation split beside the training folder, when there is one. */
  validationF1: z.number().nullable().default(null),
  unit: z.enum(['paragraph', 'sentence']).nullable(),
});
export type ChangeModel = z.infer<typeof changeModelSchema>;

const DEFAULT_NAME = 'style-distance (untrained)';

/**
 * Untrained default: the mean of the function-word and character-trigram distances against a
 * cut-off that rises for short units (their distances are noisier): 0.1 + 3/sqrt(words of the
 * shorter unit), picked on a coarse grid over stitched OUTFOX stories (paragraphs and sentences),
 * not fitted per feature. `stories analyze train` replaces it with a trained model.
 */
export function defaultChangeProbability(x: readonly number[]): number {
  const fw = x[0]!;
  const char3 = x[1]!;
  const minWords = Math.expm1(x[13]!);
  const cutoff = 0.1 + 3 / Math.sqrt(Math.max(1, minWords));
  return sigmoid(14 * ((fw + char3) / 2 - cutoff));
}

export const DEFAULT_CHANGE_MODEL: ChangeModel = {
  version: 1,
  name: DEFAULT_NAME,
  features: [...PAIR_FEATURE_NAMES],
  mean: [],
  std: [],
  weights: [],
  bias: 0,
  threshold: 0.5,
  trainedOn: null,
  trainedAt: null,
  problems: 0,
  pairs: 0,
  trainF1: null,
  validationF1: null,
  unit: null,
};

export function isDefaultModel(model: ChangeModel): boolean {
  return model.weights.length === 0;
}

export function changeProbability(model: ChangeModel, x: readonly number[]): number {
  return isDefaultModel(model) ? defaultChangeProbability(x) : logisticScore(model, x);
}

/** A stored model must match this build's features; otherwise it is ignored (retrain). */
export function isCompatible(model: ChangeModel): boolean {
  return (
    model.features.length === PAIR_FEATURE_NAMES.length &&
    model.features.every((f, i) => f === PAIR_FEATURE_NAMES[i]) &&
    (isDefaultModel(model) || model.weights.length === PAIR_FEATURE_NAMES.length)
  );
}
