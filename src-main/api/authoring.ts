import { z } from 'zod';
import { AUTHOR_KINDS } from '../authorship/common';
import { EDIT_OPERATIONS } from '../authoring/common/contract';
import { MAX_BODY_CHARS } from '../documents/common/limits';
import { authoringOpsProcedures } from './authoring-ops';
import { procedure, router } from './trpc';

const documentId = z.string().min(1).max(100);
const offset = z.number().int().nonnegative();

/** One edit on the plain text (src-main/authoring/common/contract.ts `Edit`). */
export const editSchema = z.object({
  author: z.string().min(1).max(200),
  kind: z.enum(AUTHOR_KINDS),
  operation: z.enum(EDIT_OPERATIONS),
  from: offset,
  to: offset,
  insert: z.string().max(MAX_BODY_CHARS),
  at: z.number().int().nonnegative().optional(),
  generationId: z.number().int().positive().optional(),
  source: z.object({ from: offset, to: offset }).optional(),
});

/** The core co-authoring procedures: edits, provenance, verification, bundles, reports. */
const coreProcedures = {
  /**
   * Applies edits atomically (all or nothing); `expectedHead` guards against a stale editor. Named
   * `applyEdits`, not `apply`: tRPC reserves `apply`, `call` and `then` as procedure names.
   */
  applyEdits: procedure
    .input(
      z.object({
        documentId,
        edits: z.array(editSchema).max(1_000_000),
        rich: z.unknown().optional(),
        expectedHead: z.string().max(100).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.app.authoring.apply(input)),
  provenance: procedure
    .input(z.object({ documentId }))
    .query(({ ctx, input }) => ctx.app.authoring.provenance(input.documentId)),
  document: procedure
    .input(z.object({ documentId }))
    .query(({ ctx, input }) => ctx.app.authoring.document(input.documentId)),
  timeline: procedure
    .input(z.object({ documentId }))
    .query(({ ctx, input }) => ctx.app.authoring.timeline(input.documentId)),
  verify: procedure
    .input(z.object({ documentId }))
    .query(({ ctx, input }) => ctx.app.authoring.verify(input.documentId)),
  bundle: procedure
    .input(z.object({ documentId }))
    .query(({ ctx, input }) => ctx.app.authoring.bundle(input.documentId)),
  /** Checks a bundle on its own (no database rows are read). */
  verifyBundle: procedure
    .input(z.object({ bundle: z.unknown() }))
    .mutation(({ ctx, input }) => ctx.app.authoring.verifyBundle(input.bundle)),
  report: procedure
    .input(z.object({ documentId, format: z.enum(['html', 'pdf']) }))
    .query(({ ctx, input }) => ctx.app.authoring.report(input.documentId, input.format)),
  groundTruth: procedure
    .input(z.object({ documentId }))
    .query(({ ctx, input }) => ctx.app.authoring.groundTruth(input.documentId)),
};

/**
 * `authoring.*`. The LLM operations (suggest, resolveSuggestion) live in ./authoring-ops.ts,
 * owned by the operations capability, and are spread in here.
 */
export const authoringRouter = router({ ...coreProcedures, ...authoringOpsProcedures });
