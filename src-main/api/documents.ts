import { HUMAN_OPERATIONS } from '../authorship/common';
import { z } from 'zod';
import { eventStream } from './event-stream';
import { procedure, router } from './trpc';

const id = z.string().min(1).max(100);

/** Documents: the first slice. Inputs are validated here; the service trusts its callers. */
export const documentsRouter = router({
  list: procedure
    .input(z.object({ query: z.string().max(500).optional(), trash: z.boolean().optional() }).optional())
    .query(({ ctx, input }) => ctx.app.documents.list(input ?? {})),
  get: procedure.input(z.object({ id })).query(({ ctx, input }) => ctx.app.documents.get(input.id)),
  create: procedure
    .input(
      z
        .object({
          title: z.string().max(500).optional(),
          body: z.string().optional(),
          /** How the text arrived (default 'import'); recorded on the first contribution event. */
          operation: z.enum(['type', 'paste', 'import']).optional(),
        })
        .optional(),
    )
    .mutation(({ ctx, input }) => ctx.app.documents.create(input ?? {})),
  /** Imports absolute paths of .txt/.md files, or one folder, as a resumable `documents.import` job. */
  importFiles: procedure
    .input(z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(100_000) }))
    .mutation(({ ctx, input }) => ctx.app.documents.importFiles(input.paths)),
  rename: procedure
    .input(z.object({ id, title: z.string().max(500) }))
    .mutation(({ ctx, input }) => ctx.app.documents.rename(input.id, input.title)),
  update: procedure
    .input(
      z.object({
        id,
        body: z.string(),
        baseRevision: z.number().int().nonnegative(),
        operation: z.enum(HUMAN_OPERATIONS).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.app.documents.updateBody(input)),
  delete: procedure.input(z.object({ id })).mutation(({ ctx, input }) => ctx.app.documents.delete(input.id)),
  restore: procedure.input(z.object({ id })).mutation(({ ctx, input }) => ctx.app.documents.restore(input.id)),
  revisions: procedure.input(z.object({ id })).query(({ ctx, input }) => ctx.app.documents.revisions(input.id)),
  revision: procedure
    .input(z.object({ id, number: z.number().int().positive() }))
    .query(({ ctx, input }) => ctx.app.documents.revision(input.id, input.number)),
  restoreRevision: procedure
    .input(z.object({ id, number: z.number().int().positive(), baseRevision: z.number().int().nonnegative() }))
    .mutation(({ ctx, input }) => ctx.app.documents.restoreRevision(input.id, input.number, input.baseRevision)),
  authorship: procedure.input(z.object({ id })).query(({ ctx, input }) => ctx.app.documents.authorship(input.id)),
  /** Fires when any document is created, changed, deleted or restored. */
  onDidChange: procedure.subscription(({ ctx, signal }) => eventStream(ctx.app.documents.onDidChangeDocument, signal)),
});
