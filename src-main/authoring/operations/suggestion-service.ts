import type Database from 'better-sqlite3';
import { AppError } from '../../core/app-error';
import { GenerationLog, HUMAN_AUTHOR_ID, generateWithAuthor, type Author, type AuthorService } from '../../authorship';
import type { NewGenerationRecord } from '../../authorship';
import { LlmError } from '../../llm/errors';
import type { ProviderRef } from '../../llm/endpoints/endpoint-types';
import type { LlmProvider } from '../../llm/provider';
import type { Edit } from '../common/contract';
import { DEFAULT_CONTEXT_BOUNDS, type ContextBounds } from './context-window';
import { minimalChange } from './minimal-diff';
import { buildOperationPrompt, type OperationPrompt } from './operation-prompt';
import { referenceBlock, type ReferenceSource, type UsedPassage } from './reference-passages';
import { SuggestionStore } from './suggestion-store';
import type {
  AuthoringCore,
  PromptStyle,
  ResolveSuggestionInput,
  SuggestErrorCode,
  SuggestEvent,
  SuggestInput,
  Suggestion,
  SuggestionStatus,
} from './suggestion-types';

export interface SuggestionServiceDeps {
  db: Database.Database;
  authors: AuthorService;
  /** Resolves a model author's provider (the LLM service's: local engine, endpoints, pools). */
  providers: { resolve(ref: ProviderRef): Promise<LlmProvider> };
  /** The authoring core: the document's text now and the one atomic apply path. */
  core: AuthoringCore;
  /** The library's passages, for operations that use pinned or chosen passages as reference. */
  references?: ReferenceSource;
}

/**
 * LLM operations in the editor: a model author is asked to continue, extend, polish, rewrite or
 * summarize, or to follow an instruction, over a bounded window of the document; its answer streams
 * back as a suggestion the writer accepts (possibly edited) or rejects. The text changes only on
 * accept, through the core's apply, as one model edit linked to its generation (and one human edit
 * for what the writer changed in it). Any number of suggestions may run at once for a document
 * (alternatives from several authors): nothing here is locked per document.
 */
export class SuggestionService {
  readonly store: SuggestionStore;

  constructor(private readonly deps: SuggestionServiceDeps) {
    this.store = new SuggestionStore(deps.db);
  }

  /**
   * Streams one suggestion: a `context` event (what the prompt holds), `token`s, then `done` with the
   * pending suggestion, or `error`. Never throws: an unknown author, a missing model, an endpoint
   * that is down or bad input each end the stream with an `error` event carrying an LlmError (or
   * API) code and a sentence to show. Aborting `signal` (the Stop button, or closing the
   * subscription) stops generation and records the suggestion as failed with code `aborted`.
   */
  async *suggest(input: SuggestInput, signal?: AbortSignal): AsyncGenerator<SuggestEvent> {
    let prepared: { author: Author; prompt: OperationPrompt; passages: UsedPassage[] };
    try {
      prepared = this.prepare(input);
    } catch (e) {
      yield errorEvent(e);
      return;
    }
    const { author, prompt, passages } = prepared;
    yield { type: 'context', ...prompt.context, ...(passages.length ? { passages } : {}) };

    const log = new CapturingGenerationLog(this.deps.db);
    const chat = prompt.mode === 'chat';
    let raw = '';
    let shown = '';
    let outcome: { reason: 'stop' | 'length' | 'abort' } | { error: unknown } | undefined;
    const record = (status: SuggestionStatus, text: string, error?: Failure): Suggestion =>
      this.store.insert({
        documentId: input.documentId,
        authorId: author.id,
        operation: input.operation,
        instruction: input.instruction?.trim() || null,
        from: prompt.target.from,
        to: prompt.target.to,
        original: prompt.original,
        text,
        context: prompt.context.description,
        passages,
        generationId: log.lastId ?? null,
        status,
        errorCode: error?.code ?? null,
        errorMessage: error?.message ?? null,
      });
    // Our own signal too, so a consumer that leaves without aborting still stops the model.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) stop.abort();
    try {
      const parts = generateWithAuthor(
        { authors: this.deps.authors, generations: log, providers: this.deps.providers },
        {
          authorId: author.id,
          prompt: prompt.prompt,
          mode: prompt.mode,
          documentId: input.documentId,
          ...(input.settings ? { settings: input.settings } : {}),
          signal: stop.signal,
        },
      );
      for await (const part of parts) {
        if (part.type === 'finish') {
          outcome = { reason: part.reason };
          continue;
        }
        raw += part.text;
        // Chat answers often open with a line break or a space: not shown, not inserted.
        const next = chat && !shown ? part.text.replace(/^\s+/u, '') : part.text;
        if (!next) continue;
        const text = shown ? next : `${prompt.separator}${lead(prompt, next)}${next}`;
        shown += text;
        yield { type: 'token', text };
      }
      outcome ??= { reason: 'abort' }; // a stream that ended without its finish part
    } catch (e) {
      outcome = { error: e };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // The consumer went away mid-stream (unsubscribed): keep the record of what was offered.
      if (outcome === undefined) {
        stop.abort();
        record('failed', raw, ABORTED);
      }
    }
    if (outcome === undefined) return;
    let failure: Failure | undefined;
    if ('error' in outcome) failure = errorEvent(outcome.error);
    else if (outcome.reason === 'abort') failure = signal?.aborted ? ABORTED : cutShort(author);
    else if (!raw.trim())
      failure = { code: 'bad_response', message: `${author.name} wrote nothing. Try again or ask another author.` };
    try {
      if (failure) {
        const failed = record('failed', raw, failure);
        yield { type: 'error', code: failure.code, message: failure.message, suggestionId: failed.id };
        return;
      }
      const s = record('pending', finishText(raw, prompt));
      yield { type: 'done', suggestionId: s.id, generationId: s.generationId!, text: s.text, from: s.from, to: s.to };
    } catch (e) {
      // The document was deleted while the model wrote (its suggestions go with it).
      yield errorEvent(e);
    }
  }

  /**
   * Accepts or rejects a pending suggestion. Accept applies, in one atomic call to the core, the
   * model's text as one model edit (with its generation id) and, when the writer edited it first
   * (`text`), one human edit turning it into `text` (the smallest replacement, so the model keeps
   * what stayed). `from`/`to` say where it lands now when the document moved; the range must still
   * hold the text the suggestion was made for. Reject only marks it: the text does not change.
   * @throws AppError not_found (no such suggestion in this document), conflict (already resolved, the
   * range's text changed, or `expectedHead` is stale), bad_request (a range outside the text).
   */
  resolve(input: ResolveSuggestionInput): { head: string; revision: number; suggestion: Suggestion } {
    const run = this.deps.db.transaction(() => {
      const s = this.store.get(input.documentId, input.suggestionId);
      if (s.status !== 'pending')
        throw new AppError('conflict', `This suggestion was already ${s.status}.`, { id: s.id, status: s.status });
      if (input.action === 'reject') {
        this.claim(s, 'rejected', null);
        const doc = this.deps.core.document(input.documentId);
        return { head: doc.head, revision: doc.revision };
      }
      const doc = this.deps.core.document(input.documentId);
      const from = input.from ?? s.from;
      const to = input.to ?? (input.from !== undefined ? input.from + s.original.length : s.to);
      if (from < 0 || to < from || to > doc.text.length)
        throw new AppError(
          'bad_request',
          `The range ${from}–${to} is outside the document (${doc.text.length} characters).`,
        );
      if (doc.text.slice(from, to) !== s.original)
        throw new AppError(
          'conflict',
          'The text this suggestion replaces has changed since it was made: select it again and ask anew.',
          { id: s.id, from, to },
        );
      const finalText = input.text ?? s.text;
      const at = Date.now();
      const edits: Edit[] = [
        {
          author: s.authorId,
          kind: 'model',
          operation: s.operation,
          from,
          to,
          insert: s.text,
          at,
          ...(s.generationId !== null ? { generationId: s.generationId } : {}),
        },
      ];
      const change = minimalChange(s.text, finalText);
      if (change)
        edits.push({
          author: HUMAN_AUTHOR_ID,
          kind: 'human',
          operation: change.insert === '' ? 'delete' : change.from === change.to ? 'type' : 'replace',
          from: from + change.from,
          to: from + change.to,
          insert: change.insert,
          at,
        });
      const applied = this.deps.core.apply({
        documentId: input.documentId,
        edits,
        ...(input.expectedHead !== undefined ? { expectedHead: input.expectedHead } : {}),
      });
      this.claim(s, 'accepted', change ? finalText : null);
      return { head: applied.head, revision: applied.revision };
    });
    const result = run();
    return { ...result, suggestion: this.store.get(input.documentId, input.suggestionId) };
  }

  /** A document's suggestions, oldest first; `pending` ones are what the editor shows again after a reload. */
  list(documentId: string, status?: SuggestionStatus): Suggestion[] {
    return this.store.list(documentId, status);
  }

  /** Checks everything that can be checked before a model is called. */
  private prepare(input: SuggestInput): { author: Author; prompt: OperationPrompt; passages: UsedPassage[] } {
    const author = this.modelAuthor(input.authorId);
    const { text } = this.deps.core.document(input.documentId);
    const bounds: ContextBounds = { ...DEFAULT_CONTEXT_BOUNDS, ...input.context };
    const style = resolveStyle(input.style ?? 'auto', input.operation, author);
    const prompt = buildOperationPrompt({
      operation: input.operation,
      text,
      from: input.from,
      to: input.to,
      bounds,
      style,
      ...(input.instruction !== undefined ? { instruction: input.instruction } : {}),
    });
    const refs = referenceBlock(this.deps.references, {
      ...(input.passages ? { passages: input.passages } : {}),
      ...(input.usePinned ? { usePinned: true } : {}),
    });
    return { author, prompt: withReferences(prompt, refs), passages: refs.used };
  }

  private modelAuthor(id: string): Author {
    let author: Author;
    try {
      author = this.deps.authors.get(id);
    } catch (e) {
      if (AppError.isInstance(e) && e.code === 'not_found')
        throw new LlmError('model_missing', `There is no author ${id}: choose a model author.`, { authorId: id });
      throw e;
    }
    if (!author.model)
      throw new LlmError('model_missing', `${author.name} is not a model author: choose one from the list.`, {
        authorId: id,
      });
    return author;
  }

  private claim(s: Suggestion, status: 'accepted' | 'rejected', finalText: string | null): void {
    // The status check above ran in this transaction, so this only fails if the row vanished.
    if (!this.store.resolve(s.id, status, finalText))
      throw new AppError('conflict', 'This suggestion was resolved elsewhere meanwhile.', { id: s.id });
  }
}

type Failure = { code: SuggestErrorCode; message: string };

const ABORTED: Failure = { code: 'aborted', message: 'Stopped: nothing was added to the document.' };
const cutShort = (author: Author): Failure => ({
  code: 'bad_response',
  message: `${author.name}'s answer ended before it was complete. Try again.`,
});

/**
 * Puts the reference passages in front of the prompt (a chat: at the top of the message; a
 * completion: before the text it continues) and says so in the context the writer is shown.
 */
function withReferences(prompt: OperationPrompt, refs: ReturnType<typeof referenceBlock>): OperationPrompt {
  if (refs.used.length === 0) return prompt;
  const context = {
    description: `${prompt.context.description.replace(/\.$/u, '')}, plus ${refs.description}.`,
    chars: prompt.context.chars + refs.text.length,
  };
  if (typeof prompt.prompt === 'string') return { ...prompt, prompt: `${refs.text}\n\n${prompt.prompt}`, context };
  const [first, ...rest] = prompt.prompt;
  return {
    ...prompt,
    prompt: [{ ...first!, content: `${refs.text}\n\n${first!.content}` }, ...rest],
    context,
  };
}

/** `auto`: continue on the local engine is a raw completion (see PromptStyle); the rest is chat. */
function resolveStyle(style: PromptStyle, operation: SuggestInput['operation'], author: Author): 'chat' | 'completion' {
  if (style !== 'auto') return style;
  return operation === 'continue' && author.model?.provider === 'local' ? 'completion' : 'chat';
}

/**
 * What accepting inserts: the separator (a new paragraph), then the answer. A completion is kept
 * as written; a chat answer is trimmed and gets a space when it follows a word (see `spaceBefore`).
 */
function finishText(raw: string, prompt: OperationPrompt): string {
  if (prompt.mode === 'completion') return `${prompt.separator}${raw}`;
  const body = raw.trim();
  return `${prompt.separator}${lead(prompt, body)}${body}`;
}

/** The space a chat answer needs in front, unless it opens with punctuation that hugs the word before. */
function lead(prompt: OperationPrompt, body: string): string {
  return prompt.mode === 'chat' && prompt.spaceBefore && !/^[\s.,;:!?)\]}'’"”…-]/u.test(body) ? ' ' : '';
}

function errorEvent(e: unknown): Extract<SuggestEvent, { type: 'error' }> {
  if (LlmError.isInstance(e)) return { type: 'error', code: e.code, message: e.userMessage };
  if (AppError.isInstance(e)) {
    const llmCode = e.details?.llmCode;
    return {
      type: 'error',
      code: (typeof llmCode === 'string' ? llmCode : e.code) as SuggestErrorCode,
      message: e.userMessage,
    };
  }
  console.error('[palimpsest] suggestion failed:', e);
  return { type: 'error', code: 'internal', message: 'Something went wrong inside Palimpsest.' };
}

/** The generation log, remembering the id it wrote (the generator's return value is lost when its consumer leaves). */
class CapturingGenerationLog extends GenerationLog {
  lastId: number | undefined;
  override record(g: NewGenerationRecord): number {
    this.lastId = super.record(g);
    return this.lastId;
  }
}
