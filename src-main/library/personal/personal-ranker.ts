import type { PersonalReranker, SearchHit } from '../common/contract';
import type { CurationLog } from '../curation/curation-log';
import type { PassageSource } from '../curation/passage-source';
import { featureRows, FEATURES, type CuratedItem, type FeatureName } from './features';
import { expandQuery, intentFrom, type IntentSummary } from './intent';
import type { ModelIntent } from './model-intent';
import { fitPairwise, priorWeights, scoreRow, type TrainingList } from './pairwise-model';
import type { PersonalizationSettingsStore } from './personalization-settings';
import { cosine, idfOver, stem, termCounts, termVector } from './text-terms';

/** Hybrid search with excluded passages kept in (the reranker sees them to learn what to avoid). */
export type HybridSearch = (query: string, k: number) => Promise<SearchHit[]>;

export interface PersonalRankerDeps {
  log: CurationLog;
  passages: PassageSource;
  settings: PersonalizationSettingsStore;
  hybrid: HybridSearch;
  /** Asks the chosen model author for the intent (absent: term statistics only). */
  modelIntent?: ModelIntent;
}

/** Queries of the log's newest events the intent author is shown. */
const INTENT_RECENT_EVENTS = 200;

/** How many hybrid candidates the reranker reorders. */
export const PERSONAL_CANDIDATES = 100;
/** The most recent curated queries the model is fitted on (each costs one or two hybrid searches). */
const MAX_TRAINING_QUERIES = 60;
/** Weight of the expanded query's list in the fusion with the original (RM3's interpolation). */
const EXPANSION_WEIGHT = 0.5;

export interface PersonalModel {
  /** The curation log's last event id the model was fitted at. */
  version: number;
  weights: Record<FeatureName, number>;
  queries: number;
  labelled: number;
}

/**
 * The `personal` retriever (SymbioticRAG Level 2): the hybrid top 100 reordered by a pairwise
 * model learned from the writer's own curation log (see pairwise-model.ts, features.ts), after an
 * optional query expansion from the intent of related curation (intent.ts). The model is refitted
 * lazily on the first search after the log changed; with an empty log it is the prior, i.e. hybrid.
 */
export class PersonalRanker {
  private fitted: { version: number; weights: Float64Array; queries: number; labelled: number } | null = null;
  private fittedExpansion: boolean | null = null;
  private readonly termCache = new Map<number, Map<string, number>>();
  private items: { version: number; items: CuratedItem[] } | null = null;

  constructor(private readonly deps: PersonalRankerDeps) {}

  /** The passages the log curated, as they stand (removed documents drop out); cached per log version. */
  curatedItems(): CuratedItem[] {
    const version = this.deps.log.lastId();
    if (this.items?.version === version) return this.items.items;
    const items = this.readItems();
    this.items = { version, items };
    return items;
  }

  private readItems(): CuratedItem[] {
    const state = this.deps.log.state();
    const ids = [...state.values()].filter((s) => s.pinned || s.excluded || s.rating !== null).map((s) => s.chunkId);
    return this.deps.passages.byIds(ids).map((p) => {
      const s = state.get(p.id)!;
      return {
        chunkId: p.id,
        documentId: p.documentId,
        text: p.text,
        query: s.pinnedFor ?? s.excludedFor ?? s.ratedFor ?? '',
        pinned: s.pinned,
        excluded: s.excluded,
        rating: s.rating,
      };
    });
  }

  /**
   * The intent of the recent curation (library-wide without a query, else what relates to it): by
   * term statistics, or written by the model author the settings name. The model's summary is
   * library-wide (one generation per log version); for a query it is used only when some curation
   * relates to the query (the same gate as term statistics), its terms less those in the query.
   */
  async intent(query?: string): Promise<IntentSummary> {
    const items = this.curatedItems();
    const stats = intentFrom(items, query);
    const authorId = this.deps.settings.get().intentAuthorId;
    if (!authorId || !this.deps.modelIntent || stats.basis === 0) return stats;
    const r = await this.deps.modelIntent.summarise(authorId, this.deps.log.lastId(), items, () =>
      this.deps.log.list({ limit: INTENT_RECENT_EVENTS }).events.map((e) => e.query),
    );
    if (!r.ok) {
      const who = r.authorName ? `${r.authorName}: ` : '';
      return {
        ...stats,
        notice: `The model author could not summarise your curation (${who}${r.reason}); using term statistics.`,
      };
    }
    const inQuery = new Set(query === undefined ? [] : [...termCounts(query).keys()]);
    const terms = r.terms.filter((t) => !inQuery.has(stem(t)));
    return {
      summary: r.summary,
      terms: terms.map((term, i) => ({ term, weight: round(1 - i / (terms.length + 1)) })),
      avoid: stats.avoid,
      basis: stats.basis,
      source: 'model',
      author: r.authorName,
      notice: null,
    };
  }

  /** The current model, refitted when the log changed since the last fit. */
  async model(): Promise<PersonalModel> {
    const f = await this.fit();
    return {
      version: f.version,
      weights: Object.fromEntries(FEATURES.map((name, i) => [name, round(f.weights[i]!)])) as Record<
        FeatureName,
        number
      >,
      queries: f.queries,
      labelled: f.labelled,
    };
  }

  /** What LibraryService calls for `retriever: 'personal'` (the hook in the library contract). */
  readonly rerank: PersonalReranker = async ({ query, candidates }) => {
    const settings = this.deps.settings.get();
    if (!settings.enabled)
      return { hits: candidates, notices: ['Personalization is off: these are the hybrid results.'] };
    const items = this.curatedItems();
    const { list, expandedQuery, notice } = await this.candidates(query, candidates, 'all', settings.queryExpansion);
    const f = await this.fit();
    const rows = featureRows(query, list, items, this.termCache);
    const key = normalize(query);
    const pinnedHere = new Set(items.filter((i) => i.pinned && normalize(i.query) === key).map((i) => i.chunkId));
    const excludedHere = excludedFor(query, items);
    // Excludes are read in context: a passage excluded for this query (or a close one) is dropped;
    // one excluded for an unrelated query stays a candidate, pushed down by its features instead.
    const scored = list.map((h, i) => ({
      h: h.excluded && !excludedHere.has(h.id) ? { ...h, excluded: false } : h,
      s: scoreRow(f.weights, rows[i]!) + (pinnedHere.has(h.id) ? 100 : 0),
    }));
    scored.sort((a, b) => b.s - a.s || a.h.rank - b.h.rank);
    const notices: string[] = notice ? [notice] : [];
    if (f.labelled === 0)
      notices.push('No curation yet: personal ranking is the hybrid ranking until you pin or exclude passages.');
    return {
      hits: scored.map(({ h, s }, i) => ({ ...h, rank: i + 1, score: s, scores: { ...h.scores, personal: s } })),
      ...(expandedQuery !== query ? { expandedQuery } : {}),
      notices,
    };
  };

  /**
   * The hybrid candidates, fused with those of the expanded query when expansion has terms. A search
   * expands with `intent()` (the model author's terms when one is chosen); training lists (`others`,
   * one query's own curation left out) with term statistics, since the cached model summary has seen
   * every query's curation.
   */
  private async candidates(
    query: string,
    hybrid: readonly SearchHit[],
    items: readonly CuratedItem[] | 'all',
    expansion: boolean,
  ): Promise<{ list: SearchHit[]; expandedQuery: string; notice: string | null }> {
    if (!expansion) return { list: [...hybrid], expandedQuery: query, notice: null };
    const intent = items === 'all' ? await this.intent(query) : intentFrom(items, query);
    if (intent.terms.length === 0) return { list: [...hybrid], expandedQuery: query, notice: intent.notice };
    const expandedQuery = expandQuery(query, intent);
    const extra = await this.deps.hybrid(expandedQuery, PERSONAL_CANDIDATES);
    return { list: fuse(hybrid, extra), expandedQuery, notice: intent.notice };
  }

  private async fit(): Promise<{ version: number; weights: Float64Array; queries: number; labelled: number }> {
    const version = this.deps.log.lastId();
    const expansion = this.deps.settings.get().queryExpansion;
    // Training lists are built the way searches run, so switching expansion refits too.
    if (this.fitted && this.fitted.version === version && this.fittedExpansion === expansion) return this.fitted;
    this.fittedExpansion = expansion;
    const items = this.curatedItems();
    const byQuery = new Map<string, { query: string; labels: Map<number, 0 | 1> }>();
    for (const i of items) {
      const label = i.pinned || (i.rating ?? 0) >= 4 ? 1 : i.excluded || (i.rating ?? 6) <= 2 ? 0 : null;
      if (label === null || !i.query.trim()) continue;
      const key = normalize(i.query);
      const q = byQuery.get(key) ?? { query: i.query, labels: new Map<number, 0 | 1>() };
      q.labels.set(i.chunkId, label);
      byQuery.set(key, q);
    }
    // At most MAX_TRAINING_QUERIES curated queries (in the order their passages come from the log's state).
    const queries = [...byQuery.entries()].slice(-MAX_TRAINING_QUERIES);
    const lists: TrainingList[] = [];
    let labelled = 0;
    for (const [key, q] of queries) {
      // Leave this query's own curation out, so features mean what they will for a new query.
      const others = items.filter((i) => normalize(i.query) !== key);
      const hybrid = await this.deps.hybrid(q.query, PERSONAL_CANDIDATES);
      const { list } = await this.candidates(q.query, hybrid, others, expansion);
      const labels = list.map((h) => q.labels.get(h.id) ?? null);
      if (!labels.some((l) => l !== null)) continue;
      labelled += labels.filter((l) => l !== null).length;
      lists.push({ rows: featureRows(q.query, list, others, this.termCache), labels });
    }
    const weights = lists.length ? fitPairwise(lists) : priorWeights();
    this.fitted = { version, weights, queries: lists.length, labelled };
    return this.fitted;
  }
}

/** Query-term cosine at or above which an exclusion made for one query applies to another. */
const RELATED_QUERY = 0.5;

/** The passages excluded for `query` or a query close to it. */
function excludedFor(query: string, items: readonly CuratedItem[]): Set<number> {
  const excluded = items.filter((i) => i.excluded);
  if (excluded.length === 0) return new Set();
  const idf = idfOver(excluded.map((i) => termCounts(i.query)));
  const q = termVector(termCounts(query), idf);
  const key = normalize(query);
  return new Set(
    excluded
      .filter((i) => normalize(i.query) === key || cosine(q, termVector(termCounts(i.query), idf)) >= RELATED_QUERY)
      .map((i) => i.chunkId),
  );
}

/** Reciprocal rank fusion of the original list (weight 1) and the expanded query's (EXPANSION_WEIGHT). */
function fuse(original: readonly SearchHit[], expanded: readonly SearchHit[]): SearchHit[] {
  const byId = new Map<number, { hit: SearchHit; score: number }>();
  original.forEach((h, i) => byId.set(h.id, { hit: h, score: 1 / (60 + i + 1) }));
  expanded.forEach((h, i) => {
    const add = EXPANSION_WEIGHT / (60 + i + 1);
    const e = byId.get(h.id);
    if (e) e.score += add;
    else byId.set(h.id, { hit: h, score: add });
  });
  return [...byId.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, PERSONAL_CANDIDATES)
    .map(({ hit, score }, i) => ({ ...hit, rank: i + 1, score, scores: { ...hit.scores, hybrid: score } }));
}

const normalize = (q: string) => q.trim().toLowerCase().replace(/\s+/gu, ' ');
const round = (x: number) => Math.round(x * 1000) / 1000;
