import type { Provenance, TimelineEvent, VerifyResult } from '../common/contract';
import type { ReportReference } from './references';

/** Everything a provenance report shows, gathered once for both formats. */
export interface ReportData {
  title: string;
  documentId: string;
  generatedAt: number;
  provenance: Provenance;
  verify: VerifyResult;
  /** Author id → name and colour. */
  authors: Map<string, { name: string; color: string }>;
  timeline: TimelineEvent[];
  /** Library passages the document's accepted suggestions used (the References section). */
  references?: ReportReference[];
}

/** One bar of the timeline chart: a stretch of events, its dominant author and the text length after it. */
export interface TimelineBar {
  at: number;
  authorId: string;
  inserted: number;
  length: number;
}

/** At most `max` bars over the events in order; each bar's colour is whoever inserted most in it. */
export function timelineBars(events: readonly TimelineEvent[], max = 120): TimelineBar[] {
  const bars: TimelineBar[] = [];
  const per = Math.max(1, Math.ceil(events.length / max));
  let length = 0;
  for (let i = 0; i < events.length; i += per) {
    const byAuthor = new Map<string, number>();
    let inserted = 0;
    for (const e of events.slice(i, i + per)) {
      length += e.insert.length - (e.to - e.from);
      inserted += e.insert.length;
      byAuthor.set(e.authorId, (byAuthor.get(e.authorId) ?? 0) + e.insert.length + (e.to - e.from));
    }
    const top = [...byAuthor].sort((a, b) => b[1] - a[1])[0]!;
    bars.push({ at: events[Math.min(events.length - 1, i + per - 1)]!.at, authorId: top[0], inserted, length });
  }
  return bars;
}

export const ROLE_NAMES: Record<Provenance['role'], string> = {
  human: 'Human-written',
  polished: 'LLM-polished',
  extended: 'LLM-extended',
  generated: 'LLM-generated',
};

export const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
