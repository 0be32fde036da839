/**
 * Recalibration for a population of writers (a class, a journal, one user): refit Platt scaling
 * and the decision threshold on texts known to be human and known to be LLM-written.
 */
import { fitPlatt, MIN_SLOPE, rateAbove, sigmoid, thresholdForFpr, type Platt } from './calibration';
import { DetectionError } from './errors';
import { analyze, guessLanguage } from './features';
import type { CalibrationProfile, Detector } from './types';

/** Below this many texts per class the slope is not refitted; only the threshold moves. */
export const MIN_TEXTS_FOR_SLOPE = 20;

export interface RecalibrateOptions {
  /** Wanted false-positive rate on this population's human texts. Default: the model's (1%). */
  targetFpr?: number;
  name?: string;
}

/**
 * Build a CalibrationProfile from labelled texts. `human` must be non-empty; `llm` may be empty
 * (then only the threshold is set, from the human scores). Texts too short or not English are
 * skipped, as `detect()` would abstain on them.
 * @throws DetectionError `bad_input` when no usable human text remains.
 */
export async function recalibrate(
  detector: Detector,
  texts: { human: readonly string[]; llm: readonly string[] },
  opts: RecalibrateOptions = {},
): Promise<CalibrationProfile> {
  const targetFpr = opts.targetFpr ?? detector.defaults.targetFpr;
  let skipped = 0;
  const usable = (list: readonly string[]): string[] =>
    list.filter((t) => {
      if (typeof t !== 'string' || t.trim() === '') {
        skipped++;
        return false;
      }
      const a = analyze(t);
      const ok = a.wordCount >= detector.defaults.minWords && guessLanguage(a.tokens) === 'en';
      if (!ok) skipped++;
      return ok;
    });
  const human = usable(texts.human);
  const llm = usable(texts.llm);
  if (human.length === 0) {
    throw new DetectionError(
      'bad_input',
      `Recalibration needs human-written texts of at least ${detector.defaults.minWords} words.`,
      { skipped },
    );
  }
  const hz = await detector.rawLogits(human);
  const lz = await detector.rawLogits(llm);
  const d = detector.defaults;
  const rates = (platt: Platt, thr: number) => ({
    fpr: rateAbove(
      hz.map((z) => sigmoid(platt.a * z + platt.b)),
      thr,
    ),
    tpr: lz.length
      ? rateAbove(
          lz.map((z) => sigmoid(platt.a * z + platt.b)),
          thr,
        )
      : NaN,
    threshold: thr,
  });
  const before = rates(d.platt, d.threshold);
  const slopeFitted = human.length >= MIN_TEXTS_FOR_SLOPE && llm.length >= MIN_TEXTS_FOR_SLOPE;
  let platt: Platt = d.platt;
  if (slopeFitted) {
    const fitted = fitPlatt([...hz, ...lz], [...hz.map(() => 0), ...lz.map(() => 1)]);
    // A slope at fitPlatt's floor means the model ranks this population backwards or not at all:
    // keep the shipped scaling.
    if (fitted.a > MIN_SLOPE) platt = fitted;
  }
  const hp = hz.map((z) => sigmoid(platt.a * z + platt.b));
  // With few human texts a quantile is unreliable; never set the bar below the shipped default
  // when only a handful of texts back the decision.
  let threshold = thresholdForFpr(hp, targetFpr);
  if (human.length < MIN_TEXTS_FOR_SLOPE && platt === d.platt) threshold = Math.max(threshold, d.threshold);
  // Below 0.5 the calibrated model itself says "more likely human": never flag there.
  threshold = Math.min(0.999, Math.max(0.5, threshold));
  const after = rates(platt, threshold);
  const profile: CalibrationProfile = {
    kind: 'palimpsest-detect-calibration',
    version: 1,
    createdAt: new Date().toISOString(),
    platt: { a: platt.a, b: platt.b },
    threshold,
    targetFpr,
    report: { nHuman: human.length, nLlm: llm.length, skipped, before, after, slopeFitted },
  };
  if (opts.name) profile.name = opts.name;
  return profile;
}

/** Validates a stored profile (e.g. read back from the app's database). */
export function isCalibrationProfile(x: unknown): x is CalibrationProfile {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Partial<CalibrationProfile>;
  return (
    p.kind === 'palimpsest-detect-calibration' &&
    p.version === 1 &&
    typeof p.threshold === 'number' &&
    typeof p.platt?.a === 'number' &&
    typeof p.platt?.b === 'number'
  );
}
