/**
 * Per-segment scores, shared by the detector and by the mixed-document measurement
 * (scripts/detect/operating-points.ts) so the model card measures what ships.
 */
import { analyzeUnits } from '../style-change/analyzer';
import { DEFAULT_CHANGE_MODEL } from '../style-change/change-model';
import type { Platt } from './calibration';

/** Words at which a segment's own evidence and the document's weigh the same. */
const SHRINK_WORDS = 60;

/** A segment's calibrated logit, shrunk towards the document's: short segments are noisy. */
export function segmentLogit(platt: Platt, rawLogit: number, words: number, docLogit: number): number {
  const w = words / (words + SHRINK_WORDS);
  return w * (platt.a * rawLogit + platt.b) + (1 - w) * docLogit;
}

/**
 * The calibrated logit the LLM side of a boundary must reach on average (and the human side stay
 * below): 0, i.e. more likely LLM than not. Chosen in leave-one-source-out on the mixed sources
 * (scripts/detect/operating-points.ts): the midpoint towards the flag threshold found a boundary in
 * under 8 % of seqxgpt continuations.
 */
export function structureLevel(): number {
  return 0;
}

/**
 * Per segment, P(authorship changes between the previous segment and this one) from the
 * style-change analyzer (undefined for the first). The untrained default model: the detector runs
 * in a worker without the data folder, where a trained one would live.
 */
export function segmentChangeBefore(segmentTexts: readonly string[]): (number | undefined)[] {
  if (segmentTexts.length < 2) return segmentTexts.map(() => undefined);
  const { changeProbability } = analyzeUnits(DEFAULT_CHANGE_MODEL, segmentTexts);
  return segmentTexts.map((_, i) => (i === 0 ? undefined : changeProbability[i - 1]));
}
