/**
 * How the three model heads become one verdict. Shared by the detector and by training's LOSO
 * evaluation, so the model card measures exactly what ships.
 */

export const ROLE_NAMES = ['human', 'polished', 'extended', 'generated'] as const;
export type Role = (typeof ROLE_NAMES)[number];

/**
 * The calibrated human-vs-AI head decides whether an LLM was involved (its threshold controls the
 * false-positive rate); only then does the 4-role head say how (polished / extended / generated).
 */
export function decideRole(roleProbs: ArrayLike<number>, aiProbability: number, threshold: number): number {
  if (aiProbability < threshold) return 0;
  let best = 1;
  for (let c = 2; c < 4; c++) if (roleProbs[c]! > roleProbs[best]!) best = c;
  return best;
}

/**
 * Involvement shown to users: the regression head, scaled towards 0 when the calibrated model
 * leans human (p < 0.5), so a confident "human" never comes with "60% LLM".
 */
export function combineInvolvement(regression: number, aiProbability: number, threshold: number): number {
  if (aiProbability >= threshold) return clamp01(regression);
  // Only where the calibrated model leans human (p < 0.5) is the ratio scaled down: scaling all
  // sub-threshold texts cost MAE on LLM texts the conservative threshold lets through.
  return clamp01(regression * Math.min(1, aiProbability / 0.5));
}

export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
