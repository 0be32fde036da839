import type { CurationEvent } from '../common/contract';

/** A passage's curation now, folded from its events (the latest pin/unpin, exclude/unexclude, rate wins). */
export interface PassageCuration {
  chunkId: number;
  pinned: boolean;
  excluded: boolean;
  rating: number | null;
  /** The query of the latest pin (what `pinned()` shows beside the passage). */
  pinnedFor: string | null;
  pinnedAt: number | null;
  /** The query of the latest exclude. */
  excludedFor: string | null;
  /** The query of the latest rating. */
  ratedFor: string | null;
}

/** Folds events (any order; applied by id) into the state of each passage that has one. */
export function foldCuration(events: readonly CurationEvent[]): Map<number, PassageCuration> {
  const out = new Map<number, PassageCuration>();
  const sorted = [...events].sort((a, b) => a.id - b.id);
  for (const e of sorted) {
    if (e.chunkId === null) continue;
    let s = out.get(e.chunkId);
    if (!s) {
      s = {
        chunkId: e.chunkId,
        pinned: false,
        excluded: false,
        rating: null,
        pinnedFor: null,
        pinnedAt: null,
        excludedFor: null,
        ratedFor: null,
      };
      out.set(e.chunkId, s);
    }
    switch (e.action) {
      case 'pin':
        s.pinned = true;
        s.pinnedFor = e.query;
        s.pinnedAt = e.at;
        break;
      case 'unpin':
        s.pinned = false;
        s.pinnedFor = null;
        s.pinnedAt = null;
        break;
      case 'exclude':
        s.excluded = true;
        s.excludedFor = e.query;
        break;
      case 'unexclude':
        s.excluded = false;
        s.excludedFor = null;
        break;
      case 'rate':
        s.rating = typeof e.value === 'number' ? e.value : null;
        s.ratedFor = e.query;
        break;
      case 'rewrite':
      case 'open':
        break;
    }
  }
  return out;
}

/** The fields a search hit carries about its curation. */
export interface CuratedFields {
  id: number;
  pinned: boolean;
  excluded: boolean;
  rating: number | null;
}

/**
 * Writes each hit's pinned / excluded / rating from `state` and drops excluded ones unless
 * `includeExcluded`; ranks are renumbered from 1 so they stay what the writer sees.
 */
export function applyCuration<H extends CuratedFields & { rank: number }>(
  hits: readonly H[],
  state: ReadonlyMap<number, PassageCuration>,
  includeExcluded: boolean,
): H[] {
  const out: H[] = [];
  for (const h of hits) {
    const s = state.get(h.id);
    const curated = { ...h, pinned: s?.pinned ?? false, excluded: s?.excluded ?? false, rating: s?.rating ?? null };
    if (curated.excluded && !includeExcluded) continue;
    out.push({ ...curated, rank: out.length + 1 });
  }
  return out;
}
