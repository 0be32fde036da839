/**
 * Test double of DetectorPool: deterministic results from simple text statistics, with every call
 * recorded. For unit tests of the service, job and report only; never wired into the app.
 */
import {
  agreeWithVerdict,
  DetectionError,
  verdictFor,
  type OperatingPoint,
  type CalibrationProfile,
  type DetectOptions,
  type DetectionResult,
  type SegmentResult,
} from '../detection';
import type { DetectorDefaults, DetectorPool } from './detector-pool';

export class FakeDetectorPool implements DetectorPool {
  readonly mode = 'worker' as const;
  readonly detectCalls: Array<{ texts: string[]; opts: DetectOptions }> = [];
  readonly recalibrateCalls: Array<{ human: readonly string[]; llm: readonly string[] }> = [];
  disposed = false;
  /** Milliseconds each detectMany call takes (to test cancel and resume). */
  delayMs = 0;
  /** When set, every call fails with it (e.g. model_missing). */
  failWith: DetectionError | null = null;

  readonly defaultsValue: DetectorDefaults = {
    threshold: 0.6,
    platt: { a: 1, b: 0 },
    targetFpr: 0.01,
    minWords: 5,
    operatingPoints: {
      strict: { threshold: 0.6, humanFlagged: 0.003, worstHumanFlagged: 0.01, llmCaught: 0.02 },
      standard: { threshold: 0.5, humanFlagged: 0.01, worstHumanFlagged: 0.04, llmCaught: 0.06 },
    },
  };

  async detectMany(
    texts: readonly string[],
    opts: DetectOptions = {},
  ): Promise<Array<DetectionResult | DetectionError>> {
    this.detectCalls.push({ texts: [...texts], opts });
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    this.check();
    return texts.map((t) =>
      t.trim() === ''
        ? new DetectionError('empty_text', 'The text is empty.')
        : fakeResult(
            t,
            opts.operatingPoint === 'standard' ? 0.5 : (opts.profile?.threshold ?? this.defaultsValue.threshold),
            opts.profile?.name,
            opts.operatingPoint,
          ),
    );
  }

  async recalibrate(
    texts: { human: readonly string[]; llm: readonly string[] },
    opts: { targetFpr?: number; name?: string } = {},
  ): Promise<CalibrationProfile> {
    this.recalibrateCalls.push(texts);
    this.check();
    if (texts.human.length === 0) throw new DetectionError('bad_input', 'Recalibration needs human-written texts.');
    return {
      kind: 'palimpsest-detect-calibration',
      version: 1,
      ...(opts.name ? { name: opts.name } : {}),
      createdAt: new Date(0).toISOString(),
      platt: { a: 1, b: -0.5 },
      threshold: 0.8,
      targetFpr: opts.targetFpr ?? 0.01,
      report: {
        nHuman: texts.human.length,
        nLlm: texts.llm.length,
        skipped: 0,
        before: { fpr: 0.2, tpr: 0.9, threshold: 0.6 },
        after: { fpr: 0.05, tpr: 0.8, threshold: 0.8 },
        slopeFitted: false,
      },
    };
  }

  async defaults(): Promise<DetectorDefaults> {
    this.check();
    return this.defaultsValue;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Texts scored so far, in order. */
  get scored(): string[] {
    return this.detectCalls.flatMap((c) => c.texts);
  }

  private check(): void {
    if (this.disposed) throw new DetectionError('disposed', 'Detection was shut down.');
    if (this.failWith) throw this.failWith;
  }
}

/** "AI-likelihood" = share of words longer than 7 letters, scaled: deterministic and text-dependent. */
function fakeResult(
  text: string,
  threshold: number,
  profile?: string,
  point: OperatingPoint = 'strict',
): DetectionResult {
  const band = { flag: threshold, floor: threshold - 0.1 };
  const paras = [...text.matchAll(/[^\n]+/g)];
  const segments: SegmentResult[] = paras.map((m, i) => {
    const p = score(m[0]);
    return {
      start: m.index!,
      end: m.index! + m[0].length,
      role: p >= threshold ? 'generated' : 'human',
      verdict: verdictFor(p, band),
      involvement: p,
      ai_probability: p,
      authorship_change: i > 0 && p >= threshold !== score(paras[i - 1]![0]) >= threshold,
      word_count: words(m[0]),
    };
  });
  const p = score(text);
  const n = words(text);
  const abstained = n < 5;
  const role = abstained || p < threshold ? 'human' : 'generated';
  return agreeWithVerdict({
    verdict: abstained ? 'inconclusive' : verdictFor(p, band),
    operating_point: point,
    inconclusive_from: band.floor,
    structure: null,
    score_meaning: null,
    role,
    role_probs: { human: 1 - p, polished: 0, extended: 0, generated: p },
    involvement: p,
    ai_probability: p,
    confidence_band: [Math.max(0, p - 0.1), Math.min(1, p + 0.1)],
    threshold,
    abstained,
    ...(abstained ? { abstain_reason: 'too_short' as const } : {}),
    caveat: abstained ? `Too short to judge reliably: ${n} words.` : 'This is a statistical estimate, not proof.',
    word_count: n,
    language: 'en',
    segments,
    ...(profile ? { profile } : {}),
  });
}

const words = (t: string): number => t.split(/\s+/).filter(Boolean).length;
function score(t: string): number {
  const w = t.split(/\s+/).filter(Boolean);
  if (w.length === 0) return 0;
  return Math.round(Math.min(1, (w.filter((x) => x.replace(/\W/g, '').length > 7).length / w.length) * 3) * 100) / 100;
}
