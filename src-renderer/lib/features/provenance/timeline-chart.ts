/**
 * Geometry of the small timeline chart: characters of the text per author over the writing time,
 * stacked (the top edge is the document's length). Time runs along x; when every event has the same
 * time (a scripted import), events are spaced evenly instead.
 */
import type { ChartBox } from '../../../../src-main/checks/common/chart-geometry';
import type { CountSample } from './replay';

export interface TimelineArea {
  authorId: string;
  /** Closed SVG path of this author's band. */
  path: string;
}

export interface TimelineGeometry {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Longest the text got, for the y label. */
  maxChars: number;
  /** 'time' when x is the events' time, 'events' when it is their order. */
  axis: 'time' | 'events';
  areas: TimelineArea[];
  /** Where a moment falls on x: after `step` events, the last of which happened at `at`. */
  xOf: (step: number, at: number) => number;
}

const f1 = (x: number): number => Math.round(x * 10) / 10;

/** Bands in `authorOrder` from the bottom up; authors missing from the order go on top. */
export function timelineGeometry(
  samples: readonly CountSample[],
  authorOrder: readonly string[],
  box: ChartBox,
): TimelineGeometry {
  const x0 = box.left;
  const x1 = box.width - box.right;
  const y0 = box.top;
  const y1 = box.height - box.bottom;
  const first = samples[0];
  const last = samples.at(-1);
  const span = first && last ? last.at - first.at : 0;
  const steps = last ? last.step : 0;
  const axis = span > 0 ? 'time' : 'events';
  const xOf = (step: number, at: number): number => {
    const t = axis === 'time' ? (at - first!.at) / span : steps > 0 ? step / steps : 0;
    return f1(x0 + Math.max(0, Math.min(1, t)) * (x1 - x0));
  };
  const authors = [...authorOrder];
  for (const s of samples) for (const a of Object.keys(s.counts)) if (!authors.includes(a)) authors.push(a);
  const totals = samples.map((s) => authors.reduce((n, a) => n + Math.max(0, s.counts[a] ?? 0), 0));
  const maxChars = Math.max(0, ...totals);
  const y = (chars: number) => f1(y1 - (maxChars > 0 ? chars / maxChars : 0) * (y1 - y0));
  const xs = samples.map((s) => xOf(s.step, s.at));
  const below = samples.map(() => 0);
  const areas: TimelineArea[] = [];
  for (const a of authors) {
    const lower = [...below];
    samples.forEach((s, i) => (below[i]! += Math.max(0, s.counts[a] ?? 0)));
    if (samples.every((s) => (s.counts[a] ?? 0) <= 0)) continue;
    const top = xs.map((x, i) => `${i === 0 ? 'M' : 'L'}${x},${y(below[i]!)}`).join(' ');
    const bottom = xs
      .map((x, i) => `L${x},${y(lower[i]!)}`)
      .reverse()
      .join(' ');
    areas.push({ authorId: a, path: `${top} ${bottom} Z` });
  }
  return { x0, x1, y0, y1, maxChars, axis, areas, xOf };
}
