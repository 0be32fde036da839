/** PAN's measure: macro F1 over labels 0 and 1 of all `changes`, flattened (sklearn, zero_division=0). */
export function macroF1(truth: readonly number[], predicted: readonly number[]): number {
  if (truth.length !== predicted.length) throw new Error('truth and prediction lengths differ');
  let f = 0;
  for (const label of [0, 1]) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i] === label;
      const p = predicted[i] === label;
      if (t && p) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    f += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return f / 2;
}
