import { z } from 'zod';
import { CURATION_ACTIONS, RETRIEVERS } from '../library/common/contract';
import { applyCurationLines, MAX_CURATION_LINES } from '../library/curation/curation-lines';
import { procedure } from './trpc';

const query = z.string().max(10_000);

const curateInput = z
  .object({
    query,
    /** The passage acted on; omitted only for `rewrite`. */
    chunkId: z.number().int().nonnegative().optional(),
    action: z.enum(CURATION_ACTIONS),
    /** 1..5 for `rate`; the new query for `rewrite`. */
    value: z.union([z.number().int().min(1).max(5), z.string().min(1).max(10_000)]).optional(),
    /** Where the passage was shown, when acted on from a result list. */
    rank: z.number().int().min(1).max(100_000).optional(),
    retriever: z.enum(RETRIEVERS).optional(),
  })
  .strict();

/**
 * Curation (the log, SymbioticRAG Level 1) and personalization (the `personal` retriever, Level 2),
 * spread into `library.*` (./library.ts) beside the index's procedures.
 */
export const libraryCurationProcedures = {
  /** Logs a pin / unpin / exclude / unexclude / rate / rewrite / open → the stored CurationEvent. */
  curate: procedure.input(curateInput).mutation(({ ctx, input }) => ctx.app.libraryCuration.curate(input)),

  /**
   * `library curate --input EVENTS.jsonl`: the file's lines ({"query","doc","chunk"?,"action","value"?}),
   * resolved by source file name → { applied, lines, errors: [{ line, error }] }; bad lines are
   * reported and the rest applied.
   */
  curateLines: procedure
    .input(z.object({ lines: z.array(z.string().max(200_000)).max(MAX_CURATION_LINES) }).strict())
    .mutation(({ ctx, input }) => applyCurationLines(ctx.app.libraryCuration, input.lines)),

  /** The log, newest first → { events, total }. */
  curationLog: procedure
    .input(
      z
        .object({ limit: z.number().int().min(1).max(10_000).optional(), offset: z.number().int().min(0).optional() })
        .strict()
        .optional(),
    )
    .query(({ ctx, input }) => ctx.app.libraryCuration.log.list(input ?? {})),

  /** The whole log as JSONL (the user's data) → { fileName, content, events }. */
  exportCuration: procedure.query(({ ctx }) => ctx.app.libraryCuration.log.exportJsonl()),

  /** Pinned passages, newest pin first, each with the query it was pinned for. */
  pinned: procedure.query(({ ctx }) => ctx.app.libraryCuration.pinned()),

  /**
   * What recent curation says the writer is after: { summary, terms, avoid, basis, source ('terms' |
   * 'model'), author, notice, expandedQuery } — library-wide, or for one query (what `personal` would
   * add to it). With an intent author chosen, its summary (one generation per log change); when it
   * fails, term statistics and a notice saying why.
   */
  intent: procedure
    .input(z.object({ query: query.optional() }).strict().optional())
    .query(({ ctx, input }) => ctx.app.libraryCuration.intent(input?.query)),

  /** { enabled, queryExpansion, intentAuthorId, model: { version, weights, queries, labelled } | null }. */
  personalization: procedure.query(({ ctx }) => ctx.app.libraryCuration.personalization()),

  setPersonalization: procedure
    .input(
      z
        .object({
          enabled: z.boolean().optional(),
          queryExpansion: z.boolean().optional(),
          /** A model author's id writes the intent summary; null: term statistics. */
          intentAuthorId: z.string().min(1).max(200).nullable().optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      ctx.app.libraryCuration.setPersonalization({
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.queryExpansion !== undefined ? { queryExpansion: input.queryExpansion } : {}),
        ...(input.intentAuthorId !== undefined ? { intentAuthorId: input.intentAuthorId } : {}),
      }),
    ),
};
