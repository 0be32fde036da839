/**
 * The Library view's search: the query and its options (retriever, hybrid weights, k, folder/tag,
 * whether excluded passages stay in), the result, the focused hit, and the writer's curation of
 * hits (pin, exclude, rate, rewrite the query), each logged by `library.curate` with the query,
 * rank and retriever the hit was shown at.
 */
import {
  DEFAULT_FUSION,
  DEFAULT_RETRIEVER,
  DEFAULT_WEIGHTS,
  FUSIONS,
  type CurationAction,
  type Fusion,
  type Retriever,
  type SearchHit,
  type SearchResult,
} from '../../../../src-main/library/common/contract';
import { api, errorMessage } from '../../api/client';
import { toasts } from '../shell/toasts.svelte';

const OPTIONS_KEY = 'palimpsest.library.search';

interface SavedOptions {
  retriever: Retriever;
  k: number;
  weights: { bm25: number; dense: number };
  fusion: Fusion;
  includeExcluded: boolean;
}

function loadOptions(): SavedOptions {
  const fallback: SavedOptions = {
    retriever: DEFAULT_RETRIEVER,
    k: 10,
    weights: { ...DEFAULT_WEIGHTS },
    fusion: DEFAULT_FUSION,
    includeExcluded: false,
  };
  try {
    const saved = JSON.parse(localStorage.getItem(OPTIONS_KEY) ?? 'null') as Partial<SavedOptions> | null;
    const merged = { ...fallback, ...(saved ?? {}) };
    // Options saved by an older build (or edited by hand) must not send an unknown fusion.
    if (!FUSIONS.includes(merged.fusion)) merged.fusion = DEFAULT_FUSION;
    return merged;
  } catch {
    return fallback;
  }
}

export class LibrarySearch {
  query = $state('');
  retriever = $state<Retriever>(DEFAULT_RETRIEVER);
  k = $state(10);
  weights = $state({ bm25: 1, dense: 1 });
  /** How hybrid (and personal) fuse BM25 and dense: reciprocal rank fusion or a convex combination of scores. */
  fusion = $state<Fusion>(DEFAULT_FUSION);
  includeExcluded = $state(false);
  result = $state<SearchResult | null>(null);
  /** The fusion `result` was fused with (null for BM25 or dense alone). */
  resultFusion = $state<Fusion | null>(null);
  searching = $state(false);
  error = $state<string | null>(null);
  /** Index of the focused hit in `result.hits` (the keyboard's target). */
  focused = $state(0);
  /** Called after a curation action changed something the other panels show (pinned, log, intent). */
  onCurated: () => void = () => {};
  private seq = 0;

  constructor() {
    const o = loadOptions();
    this.retriever = o.retriever;
    this.k = o.k;
    this.weights = o.weights;
    this.fusion = o.fusion;
    this.includeExcluded = o.includeExcluded;
  }

  /** Remembers the options across reloads. */
  saveOptions(): void {
    const o: SavedOptions = {
      retriever: this.retriever,
      k: this.k,
      weights: { ...this.weights },
      fusion: this.fusion,
      includeExcluded: this.includeExcluded,
    };
    localStorage.setItem(OPTIONS_KEY, JSON.stringify(o));
  }

  /** Runs the query (the latest call wins when several overlap); `filter` is the view's folder/tag. */
  async run(filter: { folder: string; tag: string }): Promise<void> {
    const query = this.query.trim();
    if (!query) {
      this.result = null;
      this.error = null;
      return;
    }
    this.saveOptions();
    const seq = ++this.seq;
    this.searching = true;
    const fusion = this.retriever === 'hybrid' || this.retriever === 'personal' ? this.fusion : null;
    try {
      const result = await api.library.search.query({
        query,
        retriever: this.retriever,
        k: this.k,
        ...(fusion ? { weights: { ...this.weights }, fusion } : {}),
        ...(filter.folder ? { folder: filter.folder } : {}),
        ...(filter.tag ? { tag: filter.tag } : {}),
        includeExcluded: this.includeExcluded,
      });
      if (seq !== this.seq) return;
      this.result = result;
      this.resultFusion = fusion;
      this.error = null;
      this.focused = 0;
    } catch (e) {
      if (seq !== this.seq) return;
      this.error = errorMessage(e);
      this.result = null;
    } finally {
      if (seq === this.seq) this.searching = false;
    }
  }

  /** Pins or unpins a hit (toggles). */
  async togglePin(hit: SearchHit): Promise<void> {
    const pinned = !hit.pinned;
    await this.curate(hit, pinned ? 'pin' : 'unpin', undefined, () => (hit.pinned = pinned));
  }

  /** Excludes or brings back a hit (toggles); an excluded hit leaves the list unless excluded ones are shown. */
  async toggleExclude(hit: SearchHit): Promise<void> {
    const excluded = !hit.excluded;
    await this.curate(hit, excluded ? 'exclude' : 'unexclude', undefined, () => {
      hit.excluded = excluded;
      if (excluded) hit.pinned = false;
    });
    if (excluded && !this.includeExcluded && this.result) {
      const i = this.result.hits.indexOf(hit);
      if (i >= 0) {
        this.result.hits.splice(i, 1);
        this.focused = Math.min(this.focused, Math.max(0, this.result.hits.length - 1));
        toasts.show(`Excluded passage ${hit.chunk + 1} of “${hit.doc}” from results.`, {
          action: { label: 'Undo', run: () => void this.restoreExcluded(hit, i) },
        });
      }
    }
  }

  async rate(hit: SearchHit, rating: number): Promise<void> {
    await this.curate(hit, 'rate', rating, () => (hit.rating = rating));
  }

  /** Logs a query rewrite (the old query, the new one as value) and runs the new one. */
  async rewrite(next: string, filter: { folder: string; tag: string }): Promise<void> {
    const before = this.result?.query ?? '';
    const query = next.trim();
    if (!query || query === before) return;
    if (before) {
      try {
        await api.library.curate.mutate({ query: before, action: 'rewrite', value: query, retriever: this.retriever });
        this.onCurated();
      } catch (e) {
        toasts.error(errorMessage(e));
      }
    }
    this.query = query;
    await this.run(filter);
  }

  /** Logs that a hit was opened in its source (a signal of interest for personalization). */
  async logOpen(hit: SearchHit): Promise<void> {
    await this.curate(hit, 'open', undefined, () => undefined);
  }

  private async restoreExcluded(hit: SearchHit, at: number): Promise<void> {
    await this.curate(hit, 'unexclude', undefined, () => (hit.excluded = false));
    if (this.result && !this.result.hits.includes(hit))
      this.result.hits.splice(Math.min(at, this.result.hits.length), 0, hit);
  }

  private async curate(
    hit: SearchHit,
    action: CurationAction,
    value: number | undefined,
    apply: () => void,
  ): Promise<void> {
    const result = this.result;
    try {
      await api.library.curate.mutate({
        query: result?.query ?? this.query.trim(),
        chunkId: hit.id,
        action,
        ...(value !== undefined ? { value } : {}),
        rank: hit.rank,
        retriever: result?.retriever ?? this.retriever,
      });
      apply();
      this.onCurated();
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }
}
