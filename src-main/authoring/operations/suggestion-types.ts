import type { AppErrorCode } from '../../core/app-error';
import type { LlmErrorCode } from '../../llm/errors';
import type { GenerationSettings } from '../../llm/provider';
import type { Edit, ModelEditOperation } from '../common/contract';
import type { ContextBounds } from './context-window';
import type { UsedPassage } from './reference-passages';

/** The editor's LLM operations (`generate` is the CLI's name for model text of unknown origin). */
export const SUGGEST_OPERATIONS = [
  'continue',
  'extend',
  'polish',
  'rewrite',
  'summarize',
  'instruction',
] as const satisfies readonly ModelEditOperation[];
export type SuggestOperation = (typeof SUGGEST_OPERATIONS)[number];

/**
 * How the prompt is sent. `auto` (default): `continue` on the local engine is a raw completion of
 * the text before the cursor (base models such as stories260K know nothing else, and instruct
 * models continue plain text too); everything else is a chat through the model's template.
 */
export type PromptStyle = 'auto' | 'chat' | 'completion';

export interface SuggestInput {
  documentId: string;
  /** A model author's id (the registry in authorship/author-service). */
  authorId: string;
  operation: SuggestOperation;
  /** The selection (from == to: the cursor), UTF-16 offsets into the document's plain text now. */
  from: number;
  to: number;
  instruction?: string;
  /** Overrides the default bounds field by field. */
  context?: Partial<ContextBounds>;
  style?: PromptStyle;
  /** Overrides the author's sampling field by field. */
  settings?: GenerationSettings;
  /**
   * Library passages (chunk ids, in order) the model gets as reference, bounded to
   * MAX_REFERENCE_WORDS in all; listed in the `context` event and kept with the suggestion.
   */
  passages?: number[];
  /** Use the writer's pinned library passages (newest pin first) as reference, when `passages` is not given. */
  usePinned?: boolean;
}

/** Why a suggestion could not be offered: an LLM failure code, or the API's code for bad input. */
export type SuggestErrorCode = LlmErrorCode | AppErrorCode;

/** What `authoring.suggest` streams, in order: one `context`, `token`s, then one `done` or `error`. */
export type SuggestEvent =
  | {
      type: 'context';
      description: string;
      chars: number;
      /** The library passages the prompt holds (only when some were asked for). */
      passages?: UsedPassage[];
    }
  | { type: 'token'; text: string }
  | {
      type: 'done';
      suggestionId: string;
      generationId: number;
      /** What accepting inserts (authoritative: tokens may differ by surrounding whitespace). */
      text: string;
      /** Where it lands: `to` == `from` for an insertion. */
      from: number;
      to: number;
    }
  | { type: 'error'; code: SuggestErrorCode; message: string; suggestionId?: string };

export type SuggestionStatus = 'pending' | 'accepted' | 'rejected' | 'failed';

/** One offer from a model author, as kept in `suggestions` (survives a reload). */
export interface Suggestion {
  id: string;
  documentId: string;
  authorId: string;
  operation: SuggestOperation;
  instruction: string | null;
  /** The range it replaces in the text it was made for. */
  from: number;
  to: number;
  /** The text that range held then ('' for an insertion). */
  original: string;
  /** What the model offered (for a failed one: what arrived before it failed). */
  text: string;
  /** The context description the writer was shown. */
  context: string;
  /** Library passages the model was given as reference, in prompt order (what provenance cites). */
  passages: UsedPassage[];
  generationId: number | null;
  status: SuggestionStatus;
  errorCode: SuggestErrorCode | null;
  errorMessage: string | null;
  /** The text that went in when the writer edited it before accepting. */
  finalText: string | null;
  createdAt: number;
  resolvedAt: number | null;
}

export interface ResolveSuggestionInput {
  documentId: string;
  suggestionId: string;
  action: 'accept' | 'reject';
  /** The final text when the writer changed the suggestion before accepting. */
  text?: string;
  /** Where it lands now, when the document moved since it was made. */
  from?: number;
  to?: number;
  /** Refuse (CONFLICT) unless the document's chain head is still this. */
  expectedHead?: string;
}

/** What the operations need from the authoring core (AuthoringService fits). */
export interface AuthoringCore {
  /** The document's plain text, chain head and revision. Throws AppError not_found. */
  document(documentId: string): { text: string; head: string; revision: number };
  /** Applies all edits or none. Throws AppError (bad_request naming the edit, conflict on a stale head). */
  apply(input: { documentId: string; edits: readonly Edit[]; expectedHead?: string }): {
    revision: number;
    head: string;
    applied: number;
  };
}
