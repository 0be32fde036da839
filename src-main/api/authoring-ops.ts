import { z } from 'zod';
import type { App } from '../app';
import { MAX_BODY_CHARS } from '../documents/common/limits';
import { SuggestionService } from '../authoring/operations/suggestion-service';
import { MAX_CONTEXT_CHARS } from '../authoring/operations/context-window';
import { MAX_REFERENCE_PASSAGES } from '../authoring/operations/reference-passages';
import { documentReferences } from '../authoring/report/references';
import {
  SUGGEST_OPERATIONS,
  type ResolveSuggestionInput,
  type SuggestInput,
} from '../authoring/operations/suggestion-types';
import { procedure } from './trpc';

const documentId = z.string().min(1).max(100);
const offset = z.number().int().nonnegative();
const bound = z.number().int().min(0).max(MAX_CONTEXT_CHARS);

const suggestInput = z
  .object({
    documentId,
    /** A model author's id. */
    authorId: z.string().min(1).max(200),
    operation: z.enum(SUGGEST_OPERATIONS),
    /** The selection (from == to: the cursor), UTF-16 offsets into the plain text now. */
    from: offset,
    to: offset,
    instruction: z.string().max(4_000).optional(),
    /** Characters of context around the cursor/selection (defaults 6,000 before, 1,000 after, 12,000 selected). */
    context: z
      .object({ maxBefore: bound, maxAfter: bound, maxPassage: bound.min(1) })
      .partial()
      .strict()
      .optional(),
    style: z.enum(['auto', 'chat', 'completion']).optional(),
    settings: z
      .object({
        maxTokens: z.number().int().min(1).max(32_768).optional(),
        temperature: z.number().min(0).max(5).optional(),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .optional(),
      })
      .strict()
      .optional(),
    /** Library passages (chunk ids) as reference, bounded to 2,000 words in all (see reference-passages.ts). */
    passages: z.array(z.number().int().nonnegative()).max(MAX_REFERENCE_PASSAGES).optional(),
    /** Use the pinned library passages as reference (when `passages` is not given). */
    usePinned: z.boolean().optional(),
  })
  .refine((v) => v.to >= v.from, { message: 'to must not be before from', path: ['to'] });

const resolveInput = z
  .object({
    documentId,
    suggestionId: z.string().min(1).max(100),
    action: z.enum(['accept', 'reject']),
    /** The final text when the writer edited the suggestion before accepting it. */
    text: z.string().max(MAX_BODY_CHARS).optional(),
    /** Where it lands now, when the document moved since it was made. */
    from: offset.optional(),
    to: offset.optional(),
    expectedHead: z.string().max(100).optional(),
  })
  .refine((v) => v.from === undefined || v.to === undefined || v.to >= v.from, {
    message: 'to must not be before from',
    path: ['to'],
  });

/**
 * One suggestion service per app, made on first use. It needs the LLM service (created lazily by
 * the app) only when a model is called, so asking for suggestions loads nothing native before that.
 */
const services = new WeakMap<App, SuggestionService>();
function suggestionsFor(app: App): SuggestionService {
  let s = services.get(app);
  if (!s) {
    s = new SuggestionService({
      db: app.store.db,
      authors: app.llm.authors,
      providers: { resolve: (ref) => app.llm.resolveProvider(ref) },
      core: app.authoring,
      references: {
        byIds: (ids) => app.libraryCuration.passages.byIds(ids),
        pinned: () => app.libraryCuration.pinned(),
      },
    });
    services.set(app, s);
  }
  return s;
}

/** Drops `undefined` fields (zod gives them; the services' inputs are exact optional types). */
function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/**
 * The editor's LLM operations, spread into `authoring.*` (./authoring.ts). Several `suggest`
 * subscriptions may run at once for one document (alternatives from two or three authors).
 */
export const authoringOpsProcedures = {
  /**
   * Streams a suggestion from a model author: `{type:'context', description, chars}`, then
   * `{type:'token', text}`s, then `{type:'done', suggestionId, generationId, text, from, to}` or
   * `{type:'error', code, message}` (an LlmError code for model failures). The document does not
   * change. Unsubscribing (Stop) aborts generation; the suggestion is kept as failed (`aborted`).
   */
  suggest: procedure.input(suggestInput).subscription(async function* ({ ctx, input, signal }) {
    const { context, settings, ...rest } = input;
    const request = defined(rest) as SuggestInput;
    if (context) request.context = defined(context);
    if (settings) request.settings = defined(settings);
    yield* suggestionsFor(ctx.app).suggest(request, signal);
  }),

  /**
   * Accepts (one model edit with the generation id, plus one human edit for what the writer changed
   * in it, applied atomically) or rejects a pending suggestion → `{ head, revision, suggestion }`.
   * CONFLICT when it was already resolved or the text it replaces changed.
   */
  resolveSuggestion: procedure
    .input(resolveInput)
    .mutation(({ ctx, input }) => suggestionsFor(ctx.app).resolve(defined(input) as ResolveSuggestionInput)),

  /**
   * The library passages the document's accepted suggestions used as reference, once each, in the
   * order first used: { doc, page, chunk, excerpt, textSha256, uses: [{ suggestionId, generationId, operation, author }] }.
   */
  references: procedure
    .input(z.object({ documentId }))
    .query(({ ctx, input }) => documentReferences(ctx.app.store.db, input.documentId)),

  /** A document's suggestions, oldest first; the pending ones are shown again after a reload. */
  suggestions: procedure
    .input(z.object({ documentId, status: z.enum(['pending', 'accepted', 'rejected', 'failed']).optional() }))
    .query(({ ctx, input }) => suggestionsFor(ctx.app).list(input.documentId, input.status)),
};
