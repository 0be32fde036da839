/**
 * The library capability's shared contract: documents, passages (chunks), retrievers, search hits
 * and curation events. The index (ingestion + retrieval), curation/personalization, the API, the
 * CLI and the Library view all code against this file (no Node, no Electron).
 */
import { z } from 'zod';

export const RETRIEVERS = ['bm25', 'dense', 'hybrid', 'personal'] as const;
export type Retriever = (typeof RETRIEVERS)[number];
/** What a writer gets without choosing: hybrid fusion (must beat BM25 alone on the evaluation). */
export const DEFAULT_RETRIEVER: Retriever = 'hybrid';

export const DENSE_METHODS = ['lsa', 'gguf'] as const;
/** lsa: needs no download (built from the library itself); gguf: an embedding model from the catalog. */
export type DenseMethod = (typeof DENSE_METHODS)[number];

export const LIBRARY_FILE_KINDS = ['pdf', 'docx', 'html', 'markdown', 'text', 'image'] as const;
export type LibraryFileKind = (typeof LIBRARY_FILE_KINDS)[number];

export interface LibraryDocument {
  id: string;
  /** Source file name (what search results call `doc`). */
  fileName: string;
  /** Absolute path it was added from (null for uploads). */
  path: string | null;
  kind: LibraryFileKind;
  folder: string;
  tags: string[];
  bytes: number;
  /** sha256 of the file's bytes: re-adding unchanged content is a no-op. */
  hash: string;
  pages: number | null;
  chunks: number;
  /** Pages that had no text layer and went through OCR. */
  ocrPages: number;
  addedAt: number;
  updatedAt: number;
}

/** A passage: a chunk of a document with its anchors in the source. */
export interface Passage {
  /** Chunk id (stable while the document is unchanged). */
  id: number;
  documentId: string;
  doc: string;
  /** Index of the chunk within its document (0-based). */
  chunk: number;
  text: string;
  /** 1-based page for paged sources (PDF), else null. */
  page: number | null;
  /** Character offsets of the chunk in the document's extracted text. */
  start: number;
  end: number;
  /** Heading path the chunk sits under, e.g. "Methods › Sampling". */
  heading: string | null;
}

export interface SearchHit extends Passage {
  rank: number;
  score: number;
  /** Each retriever's own score when it saw this passage (for the view and the personal reranker). */
  scores: Partial<Record<'bm25' | 'dense' | 'hybrid' | 'personal', number>>;
  /** Current curation state of the passage. */
  pinned: boolean;
  excluded: boolean;
  rating: number | null;
}

/** How hybrid search fuses BM25 and dense: reciprocal rank fusion, or a convex combination of min–max normalized scores. */
export const FUSIONS = ['rrf', 'convex'] as const;
export type Fusion = (typeof FUSIONS)[number];
export const DEFAULT_FUSION: Fusion = 'rrf';

export const searchInputSchema = z.object({
  query: z.string().max(200_000),
  retriever: z.enum(RETRIEVERS).default(DEFAULT_RETRIEVER),
  k: z.number().int().min(1).max(1000).default(10),
  /** Hybrid fusion weights (reciprocal rank fusion); default equal. */
  weights: z.object({ bm25: z.number().min(0).max(10), dense: z.number().min(0).max(10) }).optional(),
  /** Hybrid fusion; default the setting's. */
  fusion: z.enum(FUSIONS).optional(),
  /** Restrict to a folder or tag. */
  folder: z.string().max(500).optional(),
  tag: z.string().max(200).optional(),
  /** Leave excluded passages in (curation view); default they are dropped. */
  includeExcluded: z.boolean().default(false),
});
export type SearchInput = z.input<typeof searchInputSchema>;

export interface SearchResult {
  query: string;
  /** The query actually run (after intent expansion for `personal`). */
  expandedQuery: string;
  retriever: Retriever;
  dense: DenseMethod;
  hits: SearchHit[];
  /** Plain-words notes, e.g. "No embedding model installed: dense search used LSA (no download)". */
  notices: string[];
  tookMs: number;
}

export const CURATION_ACTIONS = ['pin', 'unpin', 'exclude', 'unexclude', 'rate', 'rewrite', 'open'] as const;
export type CurationAction = (typeof CURATION_ACTIONS)[number];

/** One logged interaction (SymbioticRAG Level 1). The log is the user's data: exportable as JSONL. */
export interface CurationEvent {
  id: number;
  at: number;
  query: string;
  action: CurationAction;
  /** The passage acted on (null for a query rewrite). */
  chunkId: number | null;
  doc: string | null;
  chunk: number | null;
  /** Rank and retriever the passage was shown at, when acted on from a result list. */
  rank: number | null;
  retriever: Retriever | null;
  /** Rating (1..5) for `rate`; the new query for `rewrite`. */
  value: string | number | null;
}

// ---- Index API shapes (library-index) ----

/** One file's outcome in an add job. */
export interface AddFileOutcome {
  file: string;
  status: 'added' | 'updated' | 'unchanged' | 'failed';
  documentId?: string;
  chunks?: number;
  /** Why it failed, in plain words. */
  error?: string;
  /** Per-file notes, e.g. "page 3 has no text layer: read by OCR". */
  notices?: string[];
}

/** What a finished `library.add` / `library.addFiles` job returns. */
export interface AddJobResult {
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  files: AddFileOutcome[];
}

export const RRF_K = 60;
export const DEFAULT_WEIGHTS = { bm25: 1, dense: 1 } as const;

export interface LibrarySettings {
  dense: DenseMethod;
  /** Installed model id (llm.installed) used when dense = 'gguf'. */
  embeddingModel: string | null;
  weights: { bm25: number; dense: number };
  fusion: Fusion;
  /** Rerank the fused top 50 with cheap cross features (query-term coverage, proximity, heading match). */
  rerank: boolean;
}

export interface LibraryStatus {
  documents: number;
  chunks: number;
  /** The dense method search will actually use now (gguf falls back to lsa when no model is installed). */
  dense: DenseMethod;
  lsa: { dims: number; fittedAt: number | null; chunksAtFit: number; stale: boolean };
  embeddingModel: { id: string | null; present: boolean };
  notices: string[];
}

/** A passage with the source text around it (for highlighting it in its source). */
export interface PassageContext {
  passage: Passage;
  /** Extracted text around the passage; `passage.start - before.length` is where it begins. */
  before: string;
  after: string;
}

/** One page of a paged source (PDF) with the chunks that sit on it. */
export interface PageView {
  documentId: string;
  page: number;
  pages: number;
  text: string;
  /** Offset of the page's first character in the document's extracted text. */
  start: number;
  chunks: Array<{ id: number; chunk: number; start: number; end: number }>;
}

/**
 * Curation's view of passages (library-curation fills it in): which are excluded, pinned, rated.
 * The index calls it on every search, so it must be cheap.
 */
export interface CurationView {
  state(chunkIds: readonly number[]): Map<number, { pinned: boolean; excluded: boolean; rating: number | null }>;
}

/**
 * The `personal` retriever: given the query and the hybrid candidates (with their scores), returns
 * them re-scored. Registered by library-curation; before it is, `personal` = hybrid.
 */
export type PersonalReranker = (input: { query: string; candidates: SearchHit[] }) =>
  | { hits: SearchHit[]; expandedQuery?: string; notices?: string[] }
  | Promise<{
      hits: SearchHit[];
      expandedQuery?: string;
      notices?: string[];
    }>;
