/**
 * Geometry of the two detection charts (scales, ticks, bins, SVG paths), computed once for the
 * HTML report (report-charts.ts) and the UI (involvement-chart.svelte, likelihood-histogram.svelte).
 * Callers only pick a box and draw; styling stays theirs.
 */
import type { DetectionResult, SegmentResult } from '../../detection/types';
import { pct } from './roles';

/** A chart's size and the margins around its plot area, in SVG user units. */
export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** One decimal is plenty for SVG coordinates and keeps the report small. */
const f1 = (x: number): number => Math.round(x * 10) / 10;

const plot = (box: ChartBox) => ({
  x0: box.left,
  x1: box.width - box.right,
  y0: box.top,
  y1: box.height - box.bottom,
  iw: box.width - box.left - box.right,
  ih: box.height - box.top - box.bottom,
});

export interface InvolvementGeometry {
  /** Plot area edges. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Horizontal grid lines at 0%, 50% and 100%. */
  grid: { y: number; label: string }[];
  /** Filled steps of involvement, closed along the baseline. */
  area: string;
  /** Steps of AI-likelihood. */
  line: string;
  /** Height of the decision threshold. */
  thresholdY: number;
  /** Where a possible change of author starts. */
  changes: number[];
}

/**
 * Involvement (filled steps) and AI-likelihood (line) along a text of `textLength` characters,
 * one step per segment. Without segments the whole text is one step with the document's figures.
 */
export function involvementGeometry(
  result: Pick<
    DetectionResult,
    'segments' | 'threshold' | 'involvement' | 'ai_probability' | 'role' | 'word_count' | 'verdict'
  >,
  textLength: number,
  box: ChartBox,
): InvolvementGeometry {
  const p = plot(box);
  const n = Math.max(1, textLength);
  const x = (c: number) => f1(p.x0 + (Math.min(c, n) / n) * p.iw);
  const y = (v: number) => f1(p.y0 + (1 - v) * p.ih);
  const segs: readonly SegmentResult[] =
    result.segments.length > 0
      ? result.segments
      : [
          {
            start: 0,
            end: n,
            involvement: result.involvement,
            ai_probability: result.ai_probability,
            role: result.role,
            verdict: result.verdict,
            authorship_change: false,
            word_count: result.word_count,
          },
        ];
  const area =
    `M${x(segs[0]!.start)},${y(0)} ` +
    segs.map((s) => `L${x(s.start)},${y(s.involvement)} L${x(s.end)},${y(s.involvement)}`).join(' ') +
    ` L${x(segs.at(-1)!.end)},${y(0)} Z`;
  const line = segs
    .map((s, i) => `${i === 0 ? 'M' : 'L'}${x(s.start)},${y(s.ai_probability)} L${x(s.end)},${y(s.ai_probability)}`)
    .join(' ');
  return {
    ...p,
    grid: [0, 0.5, 1].map((v) => ({ y: y(v), label: pct(v) })),
    area,
    line,
    thresholdY: y(result.threshold),
    changes: segs.filter((s) => s.authorship_change).map((s) => x(s.start)),
  };
}

/** Number of AI-likelihood bands in the histogram (10% each). */
export const HISTOGRAM_BINS = 10;

/** Documents per 10% band of AI-likelihood; abstentions are not counted (they have no verdict). */
export function likelihoodBins(results: readonly Pick<DetectionResult, 'abstained' | 'ai_probability'>[]): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const r of results)
    if (!r.abstained) bins[Math.min(HISTOGRAM_BINS - 1, Math.floor(r.ai_probability * HISTOGRAM_BINS))]!++;
  return bins;
}

export interface HistogramBar {
  count: number;
  /** The band, e.g. "40–50%". */
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Centre of the bar, for its count and label. */
  cx: number;
  /** The band lies above the decision threshold. */
  high: boolean;
}

export interface HistogramGeometry {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  bars: HistogramBar[];
  /** Width of one band. */
  bandWidth: number;
  /** Where the decision threshold falls, null without one. */
  thresholdX: number | null;
}

/** Bars of the AI-likelihood histogram; `gap` is the space on each side of a bar. */
export function histogramGeometry(
  bins: readonly number[],
  threshold: number | null,
  box: ChartBox,
  gap: number,
): HistogramGeometry {
  const p = plot(box);
  const max = Math.max(1, ...bins);
  const bw = p.iw / bins.length;
  const bars = bins.map((count, i) => {
    const h = (count / max) * p.ih;
    const lo = Math.round((i * 100) / bins.length);
    const hi = Math.round(((i + 1) * 100) / bins.length);
    return {
      count,
      label: `${lo}–${hi}%`,
      x: f1(p.x0 + i * bw + gap),
      y: f1(p.y1 - h),
      width: f1(bw - 2 * gap),
      height: f1(h),
      cx: f1(p.x0 + i * bw + bw / 2),
      high: threshold !== null && (i + 1) / bins.length > threshold,
    };
  });
  return { ...p, bars, bandWidth: bw, thresholdX: threshold === null ? null : f1(p.x0 + threshold * p.iw) };
}
