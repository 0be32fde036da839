import { cosine, idfOver, termCounts, termVector, type TermVector } from './text-terms';

/** A candidate passage from the hybrid retriever, as the reranker sees it (SearchHit fits). */
export interface RankCandidate {
  id: number;
  documentId: string;
  chunk: number;
  text: string;
  rank: number;
  score: number;
  scores: Partial<Record<'bm25' | 'dense' | 'hybrid' | 'personal', number>>;
}

/** A passage the writer curated, with the query it was curated for. */
export interface CuratedItem {
  chunkId: number;
  documentId: string;
  text: string;
  query: string;
  pinned: boolean;
  excluded: boolean;
  /** 1..5, or null. */
  rating: number | null;
}

/**
 * The reranker's features, each in about [-1, 1]. `hybrid` carries the prior (the model starts as
 * plain hybrid); the rest are what the writer's curation can teach it.
 */
export const FEATURES = [
  /** 1 / log2(1 + hybrid rank): the DCG discount, monotone in the hybrid rank. */
  'hybrid',
  /** BM25 score, min–max scaled in the list (0 when BM25 did not see the passage). */
  'bm25',
  /** Dense similarity, min–max scaled in the list. */
  'dense',
  /** 1 when both retrievers found it. */
  'both',
  /** Highest similarity to a pinned passage (not itself), min–max scaled in the list. */
  'simPinned',
  /** The same, weighted by how close the pin's query is to this query. */
  'simPinnedQuery',
  /** Highest similarity to an excluded passage. */
  'simExcluded',
  'simExcludedQuery',
  /** Another passage of the same document is pinned / excluded. */
  'docPinned',
  'docExcluded',
  /** The writer's rating of this passage ((r − 3) / 2), and the mean over its document's other passages. */
  'rating',
  'docRating',
  /** Early passages of a document (1 / (1 + chunk index)). */
  'position',
  /** 1 / log2(1 + rank) in BM25's own order and in dense's own order (0 when it did not see it). */
  'bm25Rank',
  'denseRank',
] as const;
export type FeatureName = (typeof FEATURES)[number];
export const FEATURE_COUNT = FEATURES.length;
const MAX_CACHED_TEXTS = 50_000;

interface PreparedItem extends CuratedItem {
  vector: TermVector;
  queryVector: TermVector;
}

/**
 * Computes feature rows for one query's candidates against the curation `items` (leave the query's
 * own curation out when building training rows, so features mean at fit time what they mean later:
 * "what the writer did for other queries" plus this passage's own rating when not from this query).
 */
export function featureRows(
  query: string,
  candidates: readonly RankCandidate[],
  items: readonly CuratedItem[],
  /** Chunk id → its term counts, kept across calls (chunk ids are never reused, so entries stay true). */
  cache?: Map<number, Map<string, number>>,
): Float64Array[] {
  const countsOf = (id: number, text: string) => {
    let c = cache?.get(id);
    if (!c) {
      c = termCounts(text);
      if (cache) {
        if (cache.size >= MAX_CACHED_TEXTS) cache.clear();
        cache.set(id, c);
      }
    }
    return c;
  };
  const candCounts = candidates.map((c) => countsOf(c.id, c.text));
  const itemCounts = items.map((i) => countsOf(i.chunkId, i.text));
  const idf = idfOver([...candCounts, ...itemCounts]);
  const qVec = termVector(termCounts(query), idf);
  const prepared: PreparedItem[] = items.map((i, n) => ({
    ...i,
    vector: termVector(itemCounts[n]!, idf),
    queryVector: termVector(termCounts(i.query), idf),
  }));
  const pinned = prepared.filter((i) => i.pinned);
  const excluded = prepared.filter((i) => i.excluded);
  const byChunk = new Map(prepared.map((i) => [i.chunkId, i]));
  const docRatings = new Map<string, { sum: number; n: number; byChunk: Map<number, number> }>();
  for (const i of prepared) {
    if (i.rating === null) continue;
    const d = docRatings.get(i.documentId) ?? { sum: 0, n: 0, byChunk: new Map<number, number>() };
    d.sum += (i.rating - 3) / 2;
    d.n++;
    d.byChunk.set(i.chunkId, (i.rating - 3) / 2);
    docRatings.set(i.documentId, d);
  }
  const scale = minMax(candidates);
  const order = hybridOrder(candidates);
  const bm25Order = scoreOrder(candidates, 'bm25');
  const denseOrder = scoreOrder(candidates, 'dense');

  const rows = candidates.map((c, n) => {
    const x = new Float64Array(FEATURE_COUNT);
    const vec = termVector(candCounts[n]!, idf);
    x[0] = 1 / Math.log2(1 + order.get(c.id)!);
    x[1] = scale.bm25(c.scores.bm25);
    x[2] = scale.dense(c.scores.dense);
    x[3] = c.scores.bm25 !== undefined && c.scores.dense !== undefined ? 1 : 0;
    const sim = (group: PreparedItem[]) => {
      let best = 0;
      let bestQuery = 0;
      for (const p of group) {
        if (p.chunkId === c.id) continue;
        const s = cosine(vec, p.vector);
        if (s > best) best = s;
        const sq = s * (0.25 + 0.75 * cosine(qVec, p.queryVector));
        if (sq > bestQuery) bestQuery = sq;
      }
      return [best, bestQuery] as const;
    };
    [x[4], x[5]] = sim(pinned);
    [x[6], x[7]] = sim(excluded);
    x[8] = pinned.some((p) => p.documentId === c.documentId && p.chunkId !== c.id) ? 1 : 0;
    x[9] = excluded.some((p) => p.documentId === c.documentId && p.chunkId !== c.id) ? 1 : 0;
    const own = byChunk.get(c.id);
    x[10] = own?.rating != null ? (own.rating - 3) / 2 : 0;
    const d = docRatings.get(c.documentId);
    if (d) {
      const mine = d.byChunk.get(c.id);
      const n2 = d.n - (mine !== undefined ? 1 : 0);
      x[11] = n2 > 0 ? (d.sum - (mine ?? 0)) / n2 : 0;
    }
    x[12] = 1 / (1 + c.chunk);
    const rb = bm25Order.get(c.id);
    const rd = denseOrder.get(c.id);
    x[13] = rb === undefined ? 0 : 1 / Math.log2(1 + rb);
    x[14] = rd === undefined ? 0 : 1 / Math.log2(1 + rd);
    return x;
  });
  // Similarities differ in level from query to query: what counts is which candidates are closest.
  for (let f = 4; f <= 7; f++) scaleColumn(rows, f);
  return rows;
}

/** Each candidate's hybrid rank (1-based) by its hybrid score, ties by their order in the list. */
function hybridOrder(candidates: readonly RankCandidate[]): Map<number, number> {
  const sorted = candidates
    .map((c, i) => ({ id: c.id, s: c.scores.hybrid ?? c.score, i }))
    .sort((a, b) => b.s - a.s || a.i - b.i);
  return new Map(sorted.map((x, r) => [x.id, r + 1]));
}

/** Ranks (1-based) by one retriever's own score, among the candidates it scored. */
function scoreOrder(candidates: readonly RankCandidate[], key: 'bm25' | 'dense'): Map<number, number> {
  const scored = candidates
    .filter((c) => c.scores[key] !== undefined)
    .sort((a, b) => b.scores[key]! - a.scores[key]! || a.id - b.id);
  return new Map(scored.map((c, r) => [c.id, r + 1]));
}

function scaleColumn(rows: Float64Array[], f: number): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, r[f]!);
    hi = Math.max(hi, r[f]!);
  }
  for (const r of rows) r[f] = hi > lo ? (r[f]! - lo) / (hi - lo) : 0;
}

/** Min–max scalers for the per-retriever scores in one list (absent → 0). */
function minMax(candidates: readonly RankCandidate[]) {
  const make = (key: 'bm25' | 'dense') => {
    const vals = candidates.map((c) => c.scores[key]).filter((v): v is number => v !== undefined);
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    return (v: number | undefined) => (v === undefined ? 0 : hi > lo ? (v - lo) / (hi - lo) : 1);
  };
  return { bm25: make('bm25'), dense: make('dense') };
}
