import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { AppError, notFound } from '../core/app-error';
import { Emitter } from '../core/events';
import type { JobRunner } from '../jobs';
import { findInstalledModel } from '../llm/catalog/installed-models';
import { sharedLocalEngine } from '../llm/local/local-engine';
import {
  DEFAULT_FUSION,
  DEFAULT_WEIGHTS,
  searchInputSchema,
  type CurationView,
  type LibraryDocument,
  type LibrarySettings,
  type LibraryStatus,
  type PageView,
  type PassageContext,
  type PersonalReranker,
  type SearchInput,
  type SearchResult,
} from './common/contract';
import type { PreparedFile } from './ingest/prepare-file';
import { LibraryStore, toPassage } from './library-store';
import { ADD_JOB, type AddPayload } from './add-payload';
import { openGgufEmbedder, type Embedder } from './retrieval/gguf-embedder';
import { DEFAULT_LSA_DIMS } from './retrieval/lsa';
import { LsaIndex, LSA_SMALL_LIBRARY } from './retrieval/lsa-index';
import { searchBm25 } from './retrieval/bm25';
import type { Ranked } from './retrieval/fusion';
import {
  DENSE_FEEDBACK_BETA,
  DENSE_FEEDBACK_PASSAGES,
  FUSION_DEPTH,
  runSearch,
  type DenseSearch,
} from './retrieval/search';
import { VectorIndex } from './retrieval/vector-index';

export const NO_EMBEDDING_MODEL_NOTICE = 'No embedding model installed: dense search used LSA (no download)';
const DEFAULT_SETTINGS: LibrarySettings = {
  dense: 'lsa',
  embeddingModel: null,
  weights: { ...DEFAULT_WEIGHTS },
  fusion: DEFAULT_FUSION,
  rerank: false,
};
/** Memory-mapped database bytes (vec0 scans read the whole vector table per query). */
const MMAP_BYTES = 512 * 1024 * 1024;
/** Characters of source text on each side of a passage in `passage()`. */
const CONTEXT_CHARS = 600;

export interface LibraryServiceOptions {
  dataDir: string;
  /** LSA dimension (default 128). */
  lsaDims?: number;
}

/**
 * The reference library's index: documents added as jobs (add-job.ts), BM25 over FTS5, dense
 * vectors in sqlite-vec (LSA from the library itself, or a GGUF embedding model), hybrid fusion,
 * passages and pages for the view. Curation plugs in through `setCurationView` and
 * `registerReranker('personal', …)`.
 */
export class LibraryService {
  readonly store: LibraryStore;
  readonly vectors: VectorIndex;
  readonly lsa: LsaIndex;
  private readonly vecError: string | null;
  private curation: CurationView | null = null;
  private personal: PersonalReranker | null = null;
  private queryEmbedder: { key: string; embedder: Promise<Embedder> } | null = null;
  private readonly changed = new Emitter<{ documentIds: string[] }>();
  /** Fires after documents are added, updated, removed or relabelled. */
  readonly onDidChangeDocuments = this.changed.event;

  constructor(
    readonly db: Database.Database,
    private readonly jobs: JobRunner,
    private readonly options: LibraryServiceOptions,
  ) {
    this.store = new LibraryStore(db);
    let vecError: string | null = null;
    try {
      sqliteVec.load(db);
    } catch (e) {
      vecError = String((e as Error)?.message ?? e);
    }
    this.vecError = vecError;
    // Dense search scans every vector: memory-mapped reads halve its time against copying pages
    // through the page cache (a per-connection setting; SQLite ignores it where mmap is unavailable).
    if ((db.pragma('mmap_size', { simple: true }) as number) < MMAP_BYTES) db.pragma(`mmap_size = ${MMAP_BYTES}`);
    this.vectors = new VectorIndex(db);
    this.lsa = new LsaIndex(db, this.vectors, options.lsaDims ?? DEFAULT_LSA_DIMS);
  }

  // ---- curation hooks (library-curation) ----

  /** Curation state for hits (excluded ones are dropped from results unless asked for). */
  setCurationView(view: CurationView | null): void {
    this.curation = view;
  }

  /** The `personal` retriever's reranker; until one is registered, `personal` = hybrid. */
  registerReranker(name: 'personal', fn: PersonalReranker | null): void {
    if (name !== 'personal') throw new TypeError(`unknown reranker ${String(name)}`);
    this.personal = fn;
  }

  // ---- documents ----

  /** Starts a `library.add` job over absolute paths (files or folders). */
  add(input: { paths: string[]; folder?: string; tags?: string[] }): { jobId: string } {
    for (const p of input.paths)
      if (!path.isAbsolute(p)) throw new AppError('bad_request', `${p} is not an absolute path.`);
    const payload: AddPayload = {
      sources: input.paths.map((p) => ({ path: p })),
      folder: input.folder,
      tags: input.tags ?? [],
    };
    return { jobId: this.jobs.enqueue(ADD_JOB, payload).id };
  }

  /** Starts a `library.add` job over files sent by the browser (staged in the data folder until added). */
  addFiles(input: { files: Array<{ name: string; base64: string }>; folder?: string; tags?: string[] }): {
    jobId: string;
  } {
    const dir = path.join(this.options.dataDir, 'library-uploads', randomBytes(8).toString('hex'));
    fs.mkdirSync(dir, { recursive: true });
    const sources = input.files.map((f, i) => {
      const name = path.basename(f.name.replace(/\\/g, '/')) || `upload-${i}`;
      const staged = path.join(dir, `${i}-${name.replace(/[^\w.-]+/g, '_').slice(-120)}`);
      fs.writeFileSync(staged, Buffer.from(f.base64, 'base64'));
      return { path: staged, name, upload: true };
    });
    const payload: AddPayload = { sources, folder: input.folder, tags: input.tags ?? [] };
    return { jobId: this.jobs.enqueue(ADD_JOB, payload).id };
  }

  list(filter: { folder?: string; tag?: string } = {}): LibraryDocument[] {
    return this.store.listDocuments(filter);
  }

  get(id: string): LibraryDocument {
    const d = this.store.getDocument(id);
    if (!d) throw notFound('Library document', id);
    return d;
  }

  remove(input: { ids: string[] }): { removed: number } {
    let removed = 0;
    this.db.transaction(() => {
      for (const id of input.ids) {
        if (!this.store.getDocument(id)) continue;
        const chunkIds = this.store.deleteDocument(id);
        this.vectors.remove(chunkIds);
        this.lsa.noteChanged(chunkIds.length);
        removed++;
      }
    })();
    if (removed > 0) {
      this.refreshDense();
      this.changed.fire({ documentIds: input.ids });
    }
    return { removed };
  }

  setTags(input: { id: string; tags: string[] }): LibraryDocument {
    this.get(input.id);
    const tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
    this.db
      .prepare(`UPDATE library_documents SET tags = ?, updated_at = ? WHERE id = ?`)
      .run(JSON.stringify(tags), Date.now(), input.id);
    this.changed.fire({ documentIds: [input.id] });
    return this.get(input.id);
  }

  setFolder(input: { id: string; folder: string }): LibraryDocument {
    this.get(input.id);
    const folder = input.folder.trim();
    if (!folder) throw new AppError('bad_request', 'The folder name is empty.');
    this.db
      .prepare(`UPDATE library_documents SET folder = ?, updated_at = ? WHERE id = ?`)
      .run(folder, Date.now(), input.id);
    this.changed.fire({ documentIds: [input.id] });
    return this.get(input.id);
  }

  // ---- passages and pages ----

  passage(input: { chunkId: number }): PassageContext {
    const row = this.store.chunks([input.chunkId]).get(input.chunkId);
    if (!row) throw notFound('Passage', String(input.chunkId));
    const doc = this.store.documentText(row.document_id)!;
    return {
      passage: toPassage(row),
      before: doc.text.slice(Math.max(0, row.start_at - CONTEXT_CHARS), row.start_at),
      after: doc.text.slice(row.end_at, row.end_at + CONTEXT_CHARS),
    };
  }

  page(input: { documentId: string; page: number }): PageView {
    const doc = this.store.documentText(input.documentId);
    if (!doc) throw notFound('Library document', input.documentId);
    if (!doc.pageStarts || !doc.pages) throw new AppError('bad_request', 'This document has no pages (only PDFs do).');
    if (input.page < 1 || input.page > doc.pages)
      throw new AppError('bad_request', `Page ${input.page} is out of range (1–${doc.pages}).`);
    const start = doc.pageStarts[input.page - 1]!;
    const end = input.page < doc.pages ? doc.pageStarts[input.page]! : doc.text.length;
    const chunks = this.db
      .prepare(
        `SELECT id, ord AS chunk, start_at AS start, end_at AS end FROM library_chunks
         WHERE document_id = ? AND start_at < ? AND end_at > ? ORDER BY ord`,
      )
      .all(input.documentId, Math.max(end, start + 1), start) as PageView['chunks'];
    return {
      documentId: input.documentId,
      page: input.page,
      pages: doc.pages,
      text: doc.text.slice(start, end),
      start,
      chunks,
    };
  }

  // ---- settings and status ----

  settings(): LibrarySettings {
    const raw = this.store.getSetting('settings');
    if (!raw) return structuredClone(DEFAULT_SETTINGS);
    try {
      return { ...structuredClone(DEFAULT_SETTINGS), ...(JSON.parse(raw) as Partial<LibrarySettings>) };
    } catch {
      return structuredClone(DEFAULT_SETTINGS);
    }
  }

  /**
   * Changes the dense method, embedding model, fusion weights or reranking. Choosing `gguf` with an
   * installed model starts a job that embeds the passages the model has not seen yet.
   */
  setSettings(input: Partial<LibrarySettings>): { settings: LibrarySettings; jobId: string | null } {
    const next: LibrarySettings = { ...this.settings(), ...stripUndefined(input) };
    if (next.dense === 'gguf' && next.embeddingModel && !findInstalledModel(this.db, next.embeddingModel))
      throw new AppError(
        'not_found',
        `No installed model "${next.embeddingModel}": pull it first (palimpsest models pull).`,
      );
    this.store.setSetting('settings', JSON.stringify(next));
    let jobId: string | null = null;
    if (
      next.dense === 'gguf' &&
      this.embeddingModelPath(next) &&
      this.store.counts().chunks > this.vectors.count('gguf')
    )
      jobId = this.jobs.enqueue(ADD_JOB, { sources: [], tags: [] } satisfies AddPayload).id;
    return { settings: next, jobId };
  }

  status(): LibraryStatus {
    const counts = this.store.counts();
    const settings = this.settings();
    const lsa = this.lsa.info();
    const modelPath = this.embeddingModelPath(settings);
    const notices: string[] = [];
    if (this.vecError) notices.push(`Dense search is unavailable: sqlite-vec could not load (${this.vecError}).`);
    const gguf = settings.dense === 'gguf' && modelPath !== null && this.ggufComplete(counts.chunks);
    if (settings.dense === 'gguf' && !modelPath) notices.push(NO_EMBEDDING_MODEL_NOTICE);
    return {
      documents: counts.documents,
      chunks: counts.chunks,
      dense: gguf ? 'gguf' : 'lsa',
      lsa: {
        dims: lsa.dims,
        fittedAt: lsa.fittedAt,
        chunksAtFit: lsa.chunksAtFit,
        stale: this.lsa.stale(counts.chunks),
      },
      embeddingModel: { id: settings.embeddingModel, present: modelPath !== null },
      notices,
    };
  }

  // ---- search ----

  /** Deterministic for the same library, settings, curation state and input (the evaluation relies on it). */
  async search(input: SearchInput): Promise<SearchResult> {
    const parsed = searchInputSchema.parse(input);
    if (!parsed.query.trim()) throw new AppError('bad_request', 'The query is empty: type what to look for.');
    return runSearch(parsed, {
      db: this.db,
      store: this.store,
      settings: this.settings(),
      dense: await this.denseSearch(parsed.query),
      curation: this.curation,
      personal: this.personal,
    });
  }

  /**
   * Each retriever's own top `depth` for a query, as hybrid search fuses them (the dense list with
   * feedback from BM25's top passages). For evaluation tools that score fusion settings offline.
   */
  async retrieverLists(query: string, depth = FUSION_DEPTH): Promise<{ bm25: Ranked[]; dense: Ranked[] }> {
    const bm25 = searchBm25(this.db, query, depth);
    const feedback = bm25.slice(0, DENSE_FEEDBACK_PASSAGES).map((r) => r.id);
    const dense = (await this.denseSearch(query)).ranked(depth, feedback).filter((r) => r.score > 1e-6);
    return { bm25, dense };
  }

  /** The dense retriever search will use now, with the notice when it fell back. */
  private async denseSearch(query: string): Promise<DenseSearch> {
    const settings = this.settings();
    if (this.vecError)
      return {
        method: 'lsa',
        ranked: () => [],
        notices: [`Dense search is unavailable: sqlite-vec could not load (${this.vecError}).`],
      };
    const notices: string[] = [];
    const chunks = this.store.counts().chunks;
    if (settings.dense === 'gguf') {
      const modelPath = this.embeddingModelPath(settings);
      if (!modelPath) notices.push(NO_EMBEDDING_MODEL_NOTICE);
      else if (!this.ggufComplete(chunks))
        notices.push('The embedding model has not indexed every passage yet: dense search used LSA (no download).');
      else {
        try {
          const embedder = await this.queryEmbedderFor(settings.embeddingModel!, modelPath);
          const vector = await embedder.embed(query);
          return {
            method: 'gguf',
            ranked: (k, feedback = []) =>
              this.vectors.nearest('gguf', this.vectors.withFeedback('gguf', vector, feedback, DENSE_FEEDBACK_BETA), k),
            notices,
          };
        } catch (e) {
          notices.push(
            `The embedding model failed (${String((e as Error)?.message ?? e).slice(0, 120)}): dense search used LSA.`,
          );
        }
      }
    }
    // A library added before any fit (a cancelled first add): fit now when that is quick.
    if (this.lsa.model() === null && chunks > 0 && chunks <= LSA_SMALL_LIBRARY) this.lsa.refit();
    const vector = this.lsa.embedQuery(query);
    if (!vector) {
      if (chunks > 0)
        notices.push('The LSA index is not built yet: dense results are empty until the add job finishes.');
      return { method: 'lsa', ranked: () => [], notices };
    }
    return {
      method: 'lsa',
      ranked: (k, feedback = []) =>
        this.vectors.nearest('lsa', this.vectors.withFeedback('lsa', vector, feedback, DENSE_FEEDBACK_BETA), k),
      notices,
    };
  }

  // ---- used by the add job ----

  /** The embedder an add job uses for new chunks, or null when the dense method is LSA or no model is installed. */
  async openJobEmbedder(): Promise<Embedder | null> {
    const settings = this.settings();
    const modelPath = this.embeddingModelPath(settings);
    if (settings.dense !== 'gguf' || !modelPath || this.vecError) return null;
    return openGgufEmbedder(sharedLocalEngine(), settings.embeddingModel!, modelPath);
  }

  async embedChunksForJob(embedder: Embedder, prepared: PreparedFile): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const c of prepared.chunked.chunks) out.push(await embedder.embed(embedText(c.heading, c.text)));
    return out;
  }

  /** Writes a prepared file (inside the job's step transaction): document, chunks, vectors. */
  writeDocument(
    prepared: PreparedFile,
    source: { path: string | null; fileName: string; folder: string; tags: readonly string[]; replaceId?: string },
    ggufVectors: Float32Array[] | null,
    modelId: string | null = this.settings().embeddingModel,
  ): { id: string; chunkIds: number[] } {
    const saved = this.store.saveDocument(
      {
        replaceId: source.replaceId,
        fileName: source.fileName,
        path: source.path,
        kind: prepared.kind,
        folder: source.folder,
        tags: source.tags,
        bytes: prepared.bytes,
        hash: prepared.hash,
        pages: prepared.pages,
        ocrPages: prepared.ocrPages,
      },
      prepared.chunked,
    );
    if (!this.vecError) {
      this.vectors.remove(saved.removedChunkIds);
      this.lsa.embedChunks(
        saved.chunkIds.map((id, i) => ({
          id,
          text: embedText(prepared.chunked.chunks[i]!.heading, prepared.chunked.chunks[i]!.text),
        })),
      );
      if (ggufVectors && ggufVectors.length > 0 && modelId) {
        if (
          this.vectors.dims('gguf') !== ggufVectors[0]!.length ||
          this.store.getSetting('vec.gguf.model') !== modelId
        ) {
          this.vectors.reset('gguf', ggufVectors[0]!.length);
          this.store.setSetting('vec.gguf.model', modelId);
        }
        this.vectors.put(
          'gguf',
          saved.chunkIds.map((id, i) => ({ id, vector: ggufVectors[i]! })),
        );
      }
    }
    this.lsa.noteChanged(saved.chunkIds.length + saved.removedChunkIds.length);
    this.changed.fire({ documentIds: [saved.id] });
    return saved;
  }

  /** Refits LSA when the refit rule says so (after adds and removals). */
  refreshDense(): void {
    if (this.vecError) return;
    if (this.lsa.stale(this.store.counts().chunks)) this.lsa.refit();
  }

  /** Embeds, with the job's embedder, chunks the GGUF space lacks (after switching to gguf). */
  async embedMissing(embedder: Embedder, signal: AbortSignal): Promise<number> {
    const modelId = embedder.modelId;
    if (this.vectors.dims('gguf') !== embedder.dims || this.store.getSetting('vec.gguf.model') !== modelId) {
      this.db.transaction(() => {
        this.vectors.reset('gguf', embedder.dims);
        this.store.setSetting('vec.gguf.model', modelId);
      })();
    }
    let n = 0;
    for (;;) {
      const rows = this.db
        .prepare(
          `SELECT id, heading, text FROM library_chunks WHERE id NOT IN (SELECT rowid FROM library_vec_gguf) ORDER BY id LIMIT 64`,
        )
        .all() as Array<{ id: number; heading: string | null; text: string }>;
      if (rows.length === 0) return n;
      const vecs: Array<{ id: number; vector: Float32Array }> = [];
      for (const r of rows) {
        signal.throwIfAborted();
        vecs.push({ id: r.id, vector: await embedder.embed(embedText(r.heading, r.text)) });
      }
      this.db.transaction(() => this.vectors.put('gguf', vecs))();
      n += rows.length;
    }
  }

  async dispose(): Promise<void> {
    const q = this.queryEmbedder;
    this.queryEmbedder = null;
    if (q) await (await q.embedder.catch(() => null))?.dispose();
  }

  private embeddingModelPath(settings: LibrarySettings): string | null {
    if (!settings.embeddingModel) return null;
    const m = findInstalledModel(this.db, settings.embeddingModel);
    return m && fs.existsSync(m.path) ? m.path : null;
  }

  private ggufComplete(chunks: number): boolean {
    return (
      this.store.getSetting('vec.gguf.model') === this.settings().embeddingModel &&
      this.vectors.count('gguf') >= chunks &&
      chunks > 0
    );
  }

  private queryEmbedderFor(modelId: string, modelPath: string): Promise<Embedder> {
    const key = `${modelId}\n${modelPath}`;
    if (this.queryEmbedder?.key !== key) {
      const old = this.queryEmbedder;
      if (old) void old.embedder.then((e) => e.dispose()).catch(() => undefined);
      const embedder = openGgufEmbedder(sharedLocalEngine(), modelId, modelPath);
      this.queryEmbedder = { key, embedder };
      embedder.catch(() => {
        if (this.queryEmbedder?.embedder === embedder) this.queryEmbedder = null;
      });
    }
    return this.queryEmbedder!.embedder;
  }
}

/** What a dense model sees of a chunk: its heading path, then its text. */
export const embedText = (heading: string | null, text: string): string => (heading ? `${heading}\n${text}` : text);

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
