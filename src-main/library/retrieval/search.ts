import type Database from 'better-sqlite3';
import type {
  CurationView,
  DenseMethod,
  LibrarySettings,
  PersonalReranker,
  SearchHit,
  SearchResult,
  searchInputSchema,
} from '../common/contract';
import type { z } from 'zod';
import { toPassage, type LibraryStore } from '../library-store';
import { searchBm25, type ChunkFilter } from './bm25';
import { convexFusion, reciprocalRankFusion, type Ranked } from './fusion';
import { rerankByCoverage } from './rerank';
import { MAX_KNN } from './vector-index';

export interface DenseSearch {
  method: DenseMethod;
  /**
   * The k nearest chunks (all chunks, unfiltered), nearest first; `feedback`: chunk ids the query
   * vector is moved toward first (pseudo-relevance feedback), none for plain dense search.
   */
  ranked: (k: number, feedback?: readonly number[]) => Ranked[];
  notices: string[];
}

export interface SearchDeps {
  db: Database.Database;
  store: LibraryStore;
  settings: LibrarySettings;
  dense: DenseSearch;
  curation: CurationView | null;
  personal: PersonalReranker | null;
}

/** Candidates each retriever contributes to fusion (and to the personal reranker). */
export const FUSION_DEPTH = 100;
/** The optional cross-feature reranker looks at this many fused candidates. */
export const RERANK_DEPTH = 50;
/**
 * In hybrid search the dense query is moved toward BM25's top passages (pseudo-relevance feedback,
 * Rocchio β = 1 over the top 5): textbook values, and chosen with the fusion by cross-validation
 * over queries (scripts/library/fusion-cv.ts; docs/architecture/library.md has the folds).
 */
export const DENSE_FEEDBACK_PASSAGES = 5;
export const DENSE_FEEDBACK_BETA = 1;

type ParsedSearch = z.output<typeof searchInputSchema>;

/**
 * One search: BM25 and/or dense candidates (in hybrid, the dense query takes feedback from BM25's
 * top passages), fused by reciprocal rank fusion or a convex combination of normalized scores for
 * `hybrid` (and as the candidates of `personal`), optionally reranked, then hydrated with passages and curation state.
 * Excluded passages are dropped before the cut to k. Ties break on chunk id: deterministic.
 */
export async function runSearch(input: ParsedSearch, deps: SearchDeps): Promise<SearchResult> {
  const t0 = performance.now();
  const notices: string[] = [];
  const filter = chunkFilter(input.folder, input.tag);
  const weights = input.weights ?? deps.settings.weights;
  // Deep enough that dropping excluded passages still leaves k.
  const depth = Math.max(input.k * 2, FUSION_DEPTH);
  const needBm25 = input.retriever !== 'dense';
  const needDense = input.retriever !== 'bm25';
  const bm25 = needBm25 ? searchBm25(deps.db, input.query, depth, filter) : [];
  let dense: Ranked[] = [];
  if (needDense) {
    notices.push(...deps.dense.notices);
    // Similarity 0 or less shares nothing with the query (a zero vector): not a dense match.
    // Feedback only where BM25 ran too (hybrid, personal): `dense` alone stays the plain dense retriever.
    const feedback = needBm25 ? bm25.slice(0, DENSE_FEEDBACK_PASSAGES).map((r) => r.id) : [];
    dense = deps.dense.ranked(filter ? MAX_KNN : depth, feedback).filter((r) => r.score > 1e-6);
    if (filter) dense = keepMatching(deps.db, dense, filter).slice(0, depth);
  }
  let ranked: Ranked[];
  let hybrid: Map<number, number> | null = null;
  if (input.retriever === 'bm25') ranked = bm25;
  else if (input.retriever === 'dense') ranked = dense;
  else {
    const lists = [
      { weight: weights.bm25, ranked: bm25 },
      { weight: weights.dense, ranked: dense },
    ];
    ranked = (input.fusion ?? deps.settings.fusion) === 'convex' ? convexFusion(lists) : reciprocalRankFusion(lists);
    if (deps.settings.rerank) ranked = rerankByCoverage(deps.store, input.query, ranked, RERANK_DEPTH);
    hybrid = new Map(ranked.map((r) => [r.id, r.score]));
  }
  const bm25Scores = new Map(bm25.map((r) => [r.id, r.score]));
  const denseScores = new Map(dense.map((r) => [r.id, r.score]));
  const candidates = ranked.slice(0, depth);
  const state = deps.curation?.state(candidates.map((r) => r.id)) ?? new Map();
  const hydrate = (list: readonly Ranked[]): SearchHit[] => {
    const rows = deps.store.chunks(list.map((r) => r.id));
    const hits: SearchHit[] = [];
    for (const r of list) {
      const row = rows.get(r.id);
      if (!row) continue;
      const s = state.get(r.id);
      const scores: SearchHit['scores'] = {};
      if (bm25Scores.has(r.id)) scores.bm25 = bm25Scores.get(r.id)!;
      if (denseScores.has(r.id)) scores.dense = denseScores.get(r.id)!;
      if (hybrid?.has(r.id)) scores.hybrid = hybrid.get(r.id)!;
      hits.push({
        ...toPassage(row),
        rank: 0,
        score: r.score,
        scores,
        pinned: s?.pinned ?? false,
        excluded: s?.excluded ?? false,
        rating: s?.rating ?? null,
      });
    }
    return hits;
  };
  let hits: SearchHit[];
  let expandedQuery = input.query;
  if (input.retriever === 'personal' && deps.personal) {
    // The reranker sees every candidate (hydrated), excluded ones included: it may learn from them.
    const out = await deps.personal({ query: input.query, candidates: hydrate(candidates) });
    hits = out.hits;
    if (out.expandedQuery) expandedQuery = out.expandedQuery;
    if (out.notices) notices.push(...out.notices);
    if (!input.includeExcluded) hits = hits.filter((h) => !h.excluded);
    hits = hits.slice(0, input.k);
  } else {
    if (input.retriever === 'personal') notices.push('No personal reranker yet: personal search used hybrid.');
    // Only the k passages shown are read from the database.
    const kept = input.includeExcluded ? candidates : candidates.filter((r) => !state.get(r.id)?.excluded);
    hits = hydrate(kept.slice(0, input.k));
  }
  hits = hits.map((h, i) => ({ ...h, rank: i + 1 }));
  return {
    query: input.query,
    expandedQuery,
    retriever: input.retriever,
    dense: deps.dense.method,
    hits,
    notices: [...new Set(notices)],
    tookMs: Math.round((performance.now() - t0) * 10) / 10,
  };
}

function chunkFilter(folder: string | undefined, tag: string | undefined): ChunkFilter | undefined {
  const where: string[] = [];
  const params: unknown[] = [];
  if (folder !== undefined) {
    where.push('d.folder = ?');
    params.push(folder);
  }
  if (tag !== undefined) {
    where.push('EXISTS (SELECT 1 FROM json_each(d.tags) WHERE value = ?)');
    params.push(tag);
  }
  return where.length ? { where: where.join(' AND '), params } : undefined;
}

function keepMatching(db: Database.Database, ranked: Ranked[], filter: ChunkFilter): Ranked[] {
  if (ranked.length === 0) return ranked;
  const ok = new Set(
    db
      .prepare(
        `SELECT c.id FROM library_chunks c JOIN library_documents d ON d.id = c.document_id
         WHERE c.id IN (SELECT value FROM json_each(?)) AND ${filter.where}`,
      )
      .pluck()
      .all(JSON.stringify(ranked.map((r) => r.id)), ...filter.params) as number[],
  );
  return ranked.filter((r) => ok.has(r.id));
}
