/**
 * The co-authoring contract shared by the core, the CLI and the editor (pure TypeScript, no Node):
 * an edit on the document's plain text, the provenance spans it produces and the shapes the
 * `authoring.*` procedures return. Offsets are UTF-16 code units into the plain text *before* the edit.
 *
 * The plain text is the editor's blocks joined by "\n" (one paragraph, heading or list item a line), so
 * a .txt file round-trips exactly; rich formatting lives beside it as editor JSON and never moves offsets.
 */
import type { AuthorKind } from '../../authorship/common';

/** What a person does in the editor. */
export const HUMAN_EDIT_OPERATIONS = [
  'type',
  'delete',
  'paste',
  'cut',
  'drag',
  'undo',
  'redo',
  'import',
  'restore',
  'replace',
] as const;
/** What a model author is asked to do (the LLM operations of the editor). */
export const MODEL_EDIT_OPERATIONS = [
  'continue',
  'extend',
  'polish',
  'rewrite',
  'summarize',
  'instruction',
  'generate',
] as const;
export const EDIT_OPERATIONS = [...HUMAN_EDIT_OPERATIONS, ...MODEL_EDIT_OPERATIONS] as const;
export type EditOperation = (typeof EDIT_OPERATIONS)[number];
export type ModelEditOperation = (typeof MODEL_EDIT_OPERATIONS)[number];

/** One change to the plain text, as `docs apply` reads it from JSONL and the editor sends it. */
export interface Edit {
  /** An author id, or (CLI) an author name; unknown names are created on first use with `kind`. */
  author: string;
  kind: AuthorKind;
  operation: EditOperation;
  from: number;
  to: number;
  insert: string;
  /** Epoch ms when the edit happened (default: now). */
  at?: number;
  /** The `generations` row that produced a model edit, when there is one. */
  generationId?: number;
  /**
   * For pasted text that came from this same document: where it was copied from (offsets in the text
   * before this edit), so it keeps its original authors instead of becoming external paste.
   */
  source?: { from: number; to: number };
}

/** A maximal run of characters written by one author through one operation. */
export interface ProvenanceSpan {
  start: number;
  end: number;
  /** Author display name (the CLI contract keys everything by name). */
  author: string;
  authorId: string;
  kind: AuthorKind;
  operation: EditOperation | 'edited-after-llm';
}

/** Roles with the detector data's definitions (see docs/architecture/authoring.md). */
export type ProvenanceRole = 'human' | 'polished' | 'extended' | 'generated';

export interface Provenance {
  text: string;
  spans: ProvenanceSpan[];
  /** Author name → fraction of the current characters. */
  shares: Record<string, number>;
  /** Operation → fraction of the current characters ('edited-after-llm' for human edits inside model text). */
  operationShares: Record<string, number>;
  role: ProvenanceRole;
  involvement: number;
  /** Number of events in the log. */
  events: number;
  /** Hash of the last event (hex), or the genesis hash of an empty log. */
  head: string;
}

export interface VerifyResult {
  ok: boolean;
  events: number;
  head: string;
  /** The first event that does not chain or does not replay (1-based sequence number), when not ok. */
  firstBad?: { seq: number; reason: string };
}

/**
 * One entry of a document's hash-chained edit log, as stored and as a bundle carries it. `hash`
 * commits to `prevHash` and every other field (see canonical-event.ts), so changing, reordering or
 * dropping an event breaks the chain.
 */
export interface ProvenanceEvent {
  /** 1-based position in the document's log. */
  seq: number;
  /** Epoch ms. */
  at: number;
  authorId: string;
  kind: AuthorKind;
  /** An EditOperation; events from older versions may carry other names (kept as written). */
  operation: string;
  from: number;
  to: number;
  insert: string;
  /** The text [from, to) held before the edit. */
  deleted: string;
  generationId: number | null;
  /** Internal paste: where the text was copied from (the characters keep their authors). */
  source: { from: number; to: number } | null;
  prevHash: string;
  hash: string;
}

/** What `authoring.timeline` returns per event (for replay): the event plus its author's name. */
export interface TimelineEvent {
  seq: number;
  at: number;
  authorId: string;
  author: string;
  kind: AuthorKind;
  operation: string;
  from: number;
  to: number;
  insert: string;
  deleted: string;
  /** Internal paste: where the text was copied from (the characters keep their authors, as in provenance). */
  source: { from: number; to: number } | null;
}

/** A self-contained provenance record anyone can check without the database (`palimpsest verify`). */
export interface ProvenanceBundle {
  format: 'palimpsest-provenance';
  version: 1;
  document: { id: string; title: string };
  authors: Array<{ id: string; name: string; kind: AuthorKind }>;
  events: ProvenanceEvent[];
  /** The text replaying `events` must reproduce exactly. */
  text: string;
  /** Hash of the last event (the genesis hash when there are none). */
  head: string;
  /** sha256 of the canonical form of everything above but the events (covered by `head`): see bundle.ts. */
  digest: string;
}

/** What `authoring.groundTruth` returns: the document's role and involvement from provenance. */
export interface GroundTruth {
  role: ProvenanceRole;
  involvement: number;
  /** The detector's passages (same segmentation) with the share of model-written characters in each. */
  passages: Array<{ start: number; end: number; llmShare: number }>;
}
