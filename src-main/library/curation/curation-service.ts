import type Database from 'better-sqlite3';
import { AppError } from '../../core/app-error';
import type {
  CurationAction,
  CurationEvent,
  CurationView,
  Passage,
  PersonalReranker,
  Retriever,
  SearchHit,
} from '../common/contract';
import type { GenerateWithAuthorDeps } from '../../authorship/generate-with-author';
import { PersonalRanker, type HybridSearch, type PersonalModel } from '../personal/personal-ranker';
import { expandQuery, type IntentSummary } from '../personal/intent';
import { ModelIntent } from '../personal/model-intent';
import { PersonalizationSettingsStore, type PersonalizationSettings } from '../personal/personalization-settings';
import { cosine, idfOver, termCounts, termVector } from '../personal/text-terms';
import { CurationLog } from './curation-log';
import { PassageSource } from './passage-source';

export interface CurateInput {
  query: string;
  chunkId?: number | null;
  action: CurationAction;
  value?: string | number | null;
  rank?: number | null;
  retriever?: Retriever | null;
}

/** A pinned passage with the query it was pinned for (what the writer can hand to a model as context). */
export interface PinnedPassage extends Passage {
  query: string;
  pinnedAt: number;
}

/** One `library curate` line, as the CLI contract names things: the source file name and chunk index. */
export interface FileCurationLine {
  query: string;
  doc: string;
  chunk?: number;
  action: 'pin' | 'exclude' | 'rate';
  value?: number;
}

export interface CurationServiceOptions {
  /**
   * How to generate as a model author, for the intent summary (lazy: the LLM service starts on first
   * use). Absent: only term statistics, and choosing an intent author is refused.
   */
  authorGeneration?: () => GenerateWithAuthorDeps;
  /** How long the intent author may take (default 60 s). */
  intentTimeoutMs?: number;
}

/**
 * Curation and personalization for the library: the log and its derived state (the CurationView
 * the index applies to every search), the `personal` retriever's reranker, the intent summary,
 * the settings, and resolving the CLI's file-name lines to passages. The hybrid search comes from
 * the index (`connect`), so this module never reaches into retrieval itself.
 */
export class CurationService {
  readonly log: CurationLog;
  readonly passages: PassageSource;
  readonly settings: PersonalizationSettingsStore;
  readonly ranker: PersonalRanker;
  private hybrid: HybridSearch | null = null;
  private readonly modelIntent: ModelIntent | null;

  constructor(
    db: Database.Database,
    private readonly options: CurationServiceOptions = {},
  ) {
    this.log = new CurationLog(db);
    this.passages = new PassageSource(db);
    this.settings = new PersonalizationSettingsStore(db);
    const generation = options.authorGeneration;
    this.modelIntent = generation
      ? new ModelIntent({
          generation,
          inVocabulary: (w) => this.passages.inVocabulary(w),
          ...(options.intentTimeoutMs !== undefined ? { timeoutMs: options.intentTimeoutMs } : {}),
        })
      : null;
    this.ranker = new PersonalRanker({
      log: this.log,
      passages: this.passages,
      settings: this.settings,
      hybrid: (query, k) => this.search(query, k),
      ...(this.modelIntent ? { modelIntent: this.modelIntent } : {}),
    });
  }

  /** Gives curation the index's hybrid search (excluded passages kept in). */
  connect(hybrid: HybridSearch): void {
    this.hybrid = hybrid;
  }

  /** What the index asks on every search: each passage's pinned / excluded / rating. */
  readonly view: CurationView = {
    state: (chunkIds) => {
      const all = this.log.state();
      const out = new Map<number, { pinned: boolean; excluded: boolean; rating: number | null }>();
      for (const id of chunkIds) {
        const s = all.get(id);
        if (s) out.set(id, { pinned: s.pinned, excluded: s.excluded, rating: s.rating });
      }
      return out;
    },
  };

  /** The `personal` retriever's rerank (registered with the index). */
  get rerank(): PersonalReranker {
    return this.ranker.rerank;
  }

  /**
   * Logs one action on a passage (or a query rewrite, which has none).
   * @throws AppError not_found for a chunk id the library does not have; bad_request as CurationLog.
   */
  curate(input: CurateInput): CurationEvent {
    let passage: Passage | null = null;
    if (input.chunkId !== undefined && input.chunkId !== null) {
      passage = this.passages.byIds([input.chunkId])[0] ?? null;
      if (!passage)
        throw new AppError('not_found', `There is no passage ${input.chunkId} in the library.`, {
          chunkId: input.chunkId,
        });
    }
    return this.log.record({
      query: input.query,
      action: input.action,
      passage: passage && {
        chunkId: passage.id,
        documentId: passage.documentId,
        doc: passage.doc,
        chunk: passage.chunk,
      },
      rank: input.rank ?? null,
      retriever: input.retriever ?? null,
      value: input.value ?? null,
    });
  }

  /** Pinned passages that still exist, newest pin first, each with the query it was pinned for. */
  pinned(): PinnedPassage[] {
    const state = [...this.log.state().values()]
      .filter((s) => s.pinned)
      .sort((a, b) => (b.pinnedAt ?? 0) - (a.pinnedAt ?? 0));
    const byId = new Map(this.passages.byIds(state.map((s) => s.chunkId)).map((p) => [p.id, p]));
    return state.flatMap((s) => {
      const p = byId.get(s.chunkId);
      return p ? [{ ...p, query: s.pinnedFor ?? '', pinnedAt: s.pinnedAt ?? 0 }] : [];
    });
  }

  /**
   * What recent curation says the writer is after (for `query`: what `personal` would add to it),
   * by term statistics or the chosen model author; a failed model summary falls back to term
   * statistics with a notice.
   */
  async intent(query?: string): Promise<IntentSummary & { expandedQuery: string | null }> {
    const i = await this.ranker.intent(query);
    return { ...i, expandedQuery: query !== undefined && i.terms.length ? expandQuery(query, i) : null };
  }

  /** The settings plus the fitted model's weights (fits it when the log changed: one search per curated query). */
  async personalization(): Promise<PersonalizationSettings & { model: PersonalModel | null }> {
    return { ...this.settings.get(), model: this.hybrid ? await this.ranker.model() : null };
  }

  /**
   * Saves switches; an intent author must be a model author (null goes back to term statistics).
   * @throws AppError bad_request (not a model author), not_found (no such author), unavailable (no LLM here).
   */
  setPersonalization(patch: Partial<PersonalizationSettings>): PersonalizationSettings {
    const authorId = patch.intentAuthorId;
    if (authorId) {
      const generation = this.options.authorGeneration;
      if (!generation) throw new AppError('unavailable', 'Model authors are not available here.');
      const author = generation().authors.get(authorId);
      if (!author.model)
        throw new AppError('bad_request', `${author.name} is not a model author: choose one that writes with a model.`);
    }
    if (authorId !== undefined) this.modelIntent?.invalidate();
    return this.settings.set(patch);
  }

  /**
   * Resolves a `library curate` line to its passage: the document by source file name (the newest
   * when several folders hold one), then the chunk by index, or without one the document's passage
   * that ranks best for the query (the hybrid ranking, else term overlap).
   * @throws AppError bad_request naming what is wrong with the line.
   */
  async resolveLine(line: FileCurationLine): Promise<Passage> {
    const docs = this.passages.documentsNamed(line.doc);
    if (docs.length === 0)
      throw new AppError('bad_request', `No document named ${JSON.stringify(line.doc)} in the library.`);
    const doc = docs[0]!;
    const passages = this.passages.ofDocument(doc.id);
    if (passages.length === 0) throw new AppError('bad_request', `${line.doc} has no passages.`);
    if (line.chunk !== undefined) {
      const p = passages.find((x) => x.chunk === line.chunk);
      if (!p)
        throw new AppError(
          'bad_request',
          `${line.doc} has no chunk ${line.chunk} (it has ${passages.length}: 0–${passages.length - 1}).`,
        );
      return p;
    }
    if (passages.length === 1) return passages[0]!;
    if (this.hybrid && line.query.trim()) {
      const hit = (await this.hybrid(line.query, 1000)).find((h) => h.documentId === doc.id);
      if (hit) return passages.find((p) => p.id === hit.id) ?? hit;
    }
    return bestByTerms(line.query, passages);
  }

  /** Applies resolved lines in one transaction (all or none of these; bad lines were set aside before). */
  recordLines(lines: Array<{ line: FileCurationLine; passage: Passage }>): CurationEvent[] {
    return this.log.recordMany(
      lines.map(({ line, passage }) => ({
        query: line.query,
        action: line.action,
        passage: { chunkId: passage.id, documentId: passage.documentId, doc: passage.doc, chunk: passage.chunk },
        retriever: null,
        value: line.value ?? null,
      })),
    );
  }

  private async search(query: string, k: number): Promise<SearchHit[]> {
    if (!this.hybrid) throw new AppError('unavailable', 'The library index is not ready for personalized search yet.');
    return this.hybrid(query, k);
  }
}

function bestByTerms(query: string, passages: readonly Passage[]): Passage {
  const counts = passages.map((p) => termCounts(p.text));
  const idf = idfOver(counts);
  const q = termVector(termCounts(query), idf);
  let best = 0;
  let bestScore = -1;
  counts.forEach((c, i) => {
    const s = cosine(q, termVector(c, idf));
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  });
  return passages[best]!;
}
