/**
 * Probability calibration and threshold choice for the AI-likelihood head. Shared by training
 * (fit on leave-one-source-out scores) and by user recalibration (fit on the user's own texts).
 */

/** Platt scaling: p = sigmoid(a * logit + b). */
export interface Platt {
  a: number;
  b: number;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Fit Platt scaling by Newton's method on weighted log-loss, with Platt's target smoothing
 * (labels (n+ +1)/(n+ +2) and 1/(n- +2)) so a tiny or separable set cannot produce infinite slopes.
 * The slope never falls below MIN_SLOPE: scores that rank the wrong way for this population must
 * not invert the detector's ranking, so then the offset alone is fitted at that slope.
 */
export function fitPlatt(logits: readonly number[], labels: readonly number[], weights?: readonly number[]): Platt {
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! > 0.5) nPos++;
    else nNeg++;
  }
  const tPos = (nPos + 1) / (nPos + 2);
  const tNeg = 1 / (nNeg + 2);
  const newton = (start: Platt, fitSlope: boolean): Platt => {
    let { a, b } = start;
    for (let it = 0; it < 100; it++) {
      let g0 = 0;
      let g1 = 0;
      let h00 = 1e-6;
      let h01 = 0;
      let h11 = 1e-6;
      for (let i = 0; i < logits.length; i++) {
        const w = weights?.[i] ?? 1;
        const x = logits[i]!;
        const t = labels[i]! > 0.5 ? tPos : tNeg;
        const p = sigmoid(a * x + b);
        const d = w * (p - t);
        const s = w * Math.max(p * (1 - p), 1e-9);
        g0 += d * x;
        g1 += d;
        h00 += s * x * x;
        h01 += s * x;
        h11 += s;
      }
      let da = 0;
      let db = g1 / h11;
      if (fitSlope) {
        const det = h00 * h11 - h01 * h01;
        if (Math.abs(det) < 1e-12) break;
        da = (h11 * g0 - h01 * g1) / det;
        db = (h00 * g1 - h01 * g0) / det;
      }
      // Damped Newton: on (nearly) separable scores the full step overshoots and a runs off to 1e7.
      const scale = Math.min(1, 1 / Math.abs(da), 5 / Math.abs(db));
      a -= da * scale;
      b -= db * scale;
      if (Math.abs(da * scale) + Math.abs(db * scale) < 1e-9) break;
    }
    return { a, b };
  };
  const fit = newton({ a: 1, b: 0 }, true);
  return fit.a >= MIN_SLOPE ? fit : newton({ a: MIN_SLOPE, b: 0 }, false);
}

/** Smallest Platt slope fitPlatt returns. */
export const MIN_SLOPE = 0.05;

/**
 * Smallest threshold whose weighted false-positive rate on `humanScores` is at most `targetFpr`
 * (flagged means score >= threshold). Ties are resolved upward so the target is never exceeded.
 */
export function thresholdForFpr(
  humanScores: readonly number[],
  targetFpr: number,
  weights?: readonly number[],
): number {
  if (humanScores.length === 0) return 0.5;
  const order = humanScores.map((s, i) => ({ s, w: weights?.[i] ?? 1 })).sort((x, y) => y.s - x.s);
  const total = order.reduce((acc, o) => acc + o.w, 0);
  let flagged = 0;
  for (let i = 0; i < order.length; i++) {
    const cur = order[i]!;
    // Consider flagging everything >= cur.s: all tied scores go together.
    let j = i;
    let tieW = 0;
    while (j < order.length && order[j]!.s === cur.s) tieW += order[j++]!.w;
    if ((flagged + tieW) / total > targetFpr) {
      // Threshold just above this score keeps the FPR within the target.
      return Math.min(1, nextUp(cur.s));
    }
    flagged += tieW;
    i = j - 1;
  }
  return 0;
}

function nextUp(x: number): number {
  return x + Math.max(1e-9, Math.abs(x) * 1e-9);
}

/** Weighted share of scores >= threshold. */
export function rateAbove(scores: readonly number[], threshold: number, weights?: readonly number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < scores.length; i++) {
    const w = weights?.[i] ?? 1;
    den += w;
    if (scores[i]! >= threshold) num += w;
  }
  return den > 0 ? num / den : 0;
}
