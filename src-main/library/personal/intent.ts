import type { CuratedItem } from './features';
import { cosine, idfOver, surfaceForms, termCounts, termVector } from './text-terms';

/** What the recent curation says the writer is after, in terms. */
export interface IntentSummary {
  /** "Looking for: tariff, revenue, import; avoiding: slavery" — or the model author's summary. */
  summary: string;
  /** Terms favoured by pinned (and well-rated) passages over excluded (and badly-rated) ones. */
  terms: Array<{ term: string; weight: number }>;
  /** Terms of excluded passages not found in the pinned ones. */
  avoid: string[];
  /** How many curated passages it was drawn from. */
  basis: number;
  /** 'terms': term statistics; 'model': a model author's summary (when one is chosen and it answered). */
  source: 'terms' | 'model';
  /** The model author whose summary this is (source 'model'), else null. */
  author: string | null;
  /** Why the chosen model author's summary is not used (then source is 'terms'), else null. */
  notice: string | null;
}

export interface IntentOptions {
  /** Most expansion terms (default 6). */
  maxTerms?: number;
  /** Only curation at least this close to the query counts (query-term cosine, default 0.35); 0 takes all. */
  minQuerySimilarity?: number;
}

/**
 * Relevance-model (RM3-like) expansion from the writer's own curation: each term's weight is its
 * share in pinned / well-rated passages minus its share in excluded / badly-rated ones, times its
 * rarity among them, each passage weighted by how close its query is to `query` (all equal when no
 * query is given: the library-wide intent). Terms already in the query are not repeated.
 */
export function intentFrom(items: readonly CuratedItem[], query?: string, options: IntentOptions = {}): IntentSummary {
  const maxTerms = options.maxTerms ?? 6;
  const minSim = query === undefined ? 0 : (options.minQuerySimilarity ?? 0.35);
  const counts = items.map((i) => termCounts(i.text));
  const qCounts = query === undefined ? new Map<string, number>() : termCounts(query);
  const idf = idfOver([...counts, ...items.map((i) => termCounts(i.query))]);
  const qVec = termVector(qCounts, idf);
  const score = new Map<string, number>();
  const negative = new Map<string, number>();
  let basis = 0;
  items.forEach((item, n) => {
    const polarity = item.pinned || (item.rating ?? 0) >= 4 ? 1 : item.excluded || (item.rating ?? 6) <= 2 ? -1 : 0;
    if (polarity === 0) return;
    const relevance = query === undefined ? 1 : cosine(qVec, termVector(termCounts(item.query), idf));
    if (relevance < minSim) return;
    basis++;
    const c = counts[n]!;
    let total = 0;
    for (const v of c.values()) total += v;
    if (total === 0) return;
    for (const [t, v] of c) {
      const w = (relevance * v) / total;
      if (polarity > 0) score.set(t, (score.get(t) ?? 0) + w);
      else negative.set(t, (negative.get(t) ?? 0) + w);
    }
  });
  const ranked = [...score]
    .map(([t, s]) => ({ term: t, weight: (s - (negative.get(t) ?? 0)) * idf(t) }))
    .filter((x) => x.weight > 0 && !qCounts.has(x.term))
    .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
    .slice(0, maxTerms);
  const top = ranked[0]?.weight ?? 1;
  const surface = surfaceForms(items.map((i) => i.text));
  const word = (stemmed: string) => surface.get(stemmed) ?? stemmed;
  const termsOut = ranked.map((x) => ({ term: word(x.term), weight: Math.round((x.weight / top) * 1000) / 1000 }));
  const avoid = [...negative]
    .filter(([t]) => !score.has(t) && !qCounts.has(t))
    .map(([t, s]) => ({ t, w: s * idf(t) }))
    .sort((a, b) => b.w - a.w || a.t.localeCompare(b.t))
    .slice(0, 4)
    .map((x) => word(x.t));
  const parts: string[] = [];
  if (termsOut.length) parts.push(`looking for ${termsOut.map((t) => t.term).join(', ')}`);
  if (avoid.length) parts.push(`avoiding ${avoid.join(', ')}`);
  const summary = parts.length
    ? `${parts.join('; ')} (from ${basis} curated passage${basis === 1 ? '' : 's'}).`.replace(/^./u, (c) =>
        c.toUpperCase(),
      )
    : basis === 0
      ? 'No curation yet: pin or exclude passages and retrieval learns what you are after.'
      : 'The curated passages do not point to any terms yet.';
  return { summary, terms: termsOut, avoid, basis, source: 'terms', author: null, notice: null };
}

/** The query with the expansion terms appended (what `SearchResult.expandedQuery` shows). */
export function expandQuery(query: string, intent: IntentSummary): string {
  return intent.terms.length ? `${query} ${intent.terms.map((t) => t.term).join(' ')}` : query;
}
