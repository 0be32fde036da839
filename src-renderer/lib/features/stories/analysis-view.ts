/**
 * What the analysis panel draws for one story: each boundary between consecutive units with the
 * predicted P(change), the predicted 0/1 and the truth, and how well the prediction matched.
 */

export interface Boundary {
  /** Between unit `index` and unit `index + 1`. */
  index: number;
  probability: number;
  predicted: 0 | 1;
  truth: 0 | 1 | null;
}

export function boundaries(
  probabilities: readonly number[],
  predicted: readonly number[],
  truth?: readonly number[],
): Boundary[] {
  return probabilities.map((p, i) => ({
    index: i,
    probability: p,
    predicted: predicted[i] ? 1 : 0,
    truth: truth && i < truth.length ? (truth[i] ? 1 : 0) : null,
  }));
}

/**
 * The threshold the model used: midway between the highest probability it called "no change" and
 * the lowest it called "change" (the result carries the decisions, not the threshold itself).
 * Null when every boundary got the same decision, since then no line separates them.
 */
export function impliedThreshold(bs: readonly Boundary[]): number | null {
  const yes = bs.filter((b) => b.predicted === 1).map((b) => b.probability);
  const no = bs.filter((b) => b.predicted === 0).map((b) => b.probability);
  if (yes.length === 0 || no.length === 0) return null;
  return (Math.min(...yes) + Math.max(...no)) / 2;
}

export interface ChangeScores {
  /** F1 of the "change" class. */
  f1Change: number;
  /**
   * Macro F1 over change / no change, as PAN's evaluator scores `changes`; a class absent from both
   * truth and prediction is left out (for one story, scikit-learn would count it as 0).
   */
  macroF1: number;
  correct: number;
  total: number;
}

/** Scores of the predicted changes against the truth; null when there is no truth to compare with. */
export function changeScores(bs: readonly Boundary[]): ChangeScores | null {
  const judged = bs.filter((b): b is Boundary & { truth: 0 | 1 } => b.truth !== null);
  if (judged.length === 0) return null;
  const f1 = (cls: 0 | 1): number | null => {
    const tp = judged.filter((b) => b.predicted === cls && b.truth === cls).length;
    const fp = judged.filter((b) => b.predicted === cls && b.truth !== cls).length;
    const fn = judged.filter((b) => b.predicted !== cls && b.truth === cls).length;
    if (tp + fp + fn === 0) return null;
    return (2 * tp) / (2 * tp + fp + fn);
  };
  const classes = [f1(0), f1(1)].filter((x): x is number => x !== null);
  return {
    f1Change: f1(1) ?? 1,
    macroF1: classes.reduce((a, b) => a + b, 0) / classes.length,
    correct: judged.filter((b) => b.predicted === b.truth).length,
    total: judged.length,
  };
}

/** Truth changes from the author of each unit: 1 where consecutive units have different authors. */
export function changesFromAuthors(unitAuthors: readonly string[]): number[] {
  return unitAuthors.slice(1).map((a, i) => (a === unitAuthors[i] ? 0 : 1));
}
