import { z } from 'zod';
import { MAX_FILE_SIZE_LABEL, MAX_UPLOAD_BASE64_CHARS } from '../checks/common/limits';
import { OPERATING_POINTS } from '../detection/common/bands';
import { eventStream } from './event-stream';
import { procedure, router } from './trpc';

const id = z.string().min(1).max(100);
/** Matches detection's MAX_CHARS: longer texts are refused, not truncated. */
const text = z.string().max(2_000_000, 'The text is too long to check (over 2,000,000 characters).');
const name = z.string().trim().min(1).max(200);
/** strict (default): every known human group ≤ 1 % flagged; standard: 1 % of human texts overall. */
const operatingPoint = z.enum(OPERATING_POINTS).optional();
/** An installed local model for LM-assisted checks (it must pass the LM sanity gate). */
const lmModel = z.string().min(1).max(300).optional();

/**
 * Detection checks: quick checks of pasted text, batch checks of files/folders (a `checks.batch`
 * job: follow it with jobs.onDidChange), results, CSV and HTML reports, calibration profiles.
 */
export const checksRouter = router({
  /** Whether a detection model is installed and which calibration is in force. */
  status: procedure.query(({ ctx }) => ctx.app.checks.status()),
  /**
   * Scores one text now (in the detector worker) and stores it as a check. `lmModel`, an installed
   * local model id (llm.installed), adds that model's view (LM-assisted mode, experimental).
   */
  checkText: procedure
    .input(
      z.object({
        text: text.min(1, 'Paste a text to check.'),
        name: name.optional(),
        lmModel,
        operatingPoint,
      }),
    )
    .mutation(({ ctx, input, signal }) => ctx.app.checks.checkText(input, signal)),
  /** Whether an installed local model passes the LM sanity gate, and why not. */
  lmGate: procedure
    .input(z.object({ model: z.string().min(1).max(300) }))
    .query(({ ctx, input }) => ctx.app.checks.lmGate(input.model)),
  /** Starts a resumable batch job over texts read in the browser, or files/folders on this machine. */
  startBatch: procedure
    .input(
      z.union([
        z.object({
          files: z
            .array(
              z.union([
                z.object({ name: z.string().min(1).max(1000), text }),
                // A file the browser could not read: stored as a failed document of the batch.
                z.object({ name: z.string().min(1).max(1000), error: z.string().min(1).max(1000) }),
              ]),
            )
            .min(1)
            .max(5000),
          name: name.optional(),
          operatingPoint,
          lmModel,
        }),
        z.object({
          paths: z.array(z.string().min(1).max(4096)).min(1).max(5000),
          name: name.optional(),
          operatingPoint,
          lmModel,
        }),
      ]),
    )
    .mutation(({ ctx, input }) => ctx.app.checks.startBatch(input)),
  list: procedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).optional() }).optional())
    .query(({ ctx, input }) => ctx.app.checks.list(input?.limit)),
  get: procedure.input(z.object({ id })).query(({ ctx, input }) => ctx.app.checks.get(input.id)),
  /** One document with its text, for highlighting. */
  getItem: procedure
    .input(z.object({ id, position: z.number().int().nonnegative() }))
    .query(({ ctx, input }) => ctx.app.checks.getItem(input.id, input.position)),
  delete: procedure.input(z.object({ id })).mutation(({ ctx, input }) => ctx.app.checks.delete(input.id)),
  /** CSV text (UTF-8 with BOM), one row per document. */
  exportCsv: procedure.input(z.object({ id })).query(({ ctx, input }) => ({ csv: ctx.app.checks.exportCsv(input.id) })),
  /** Self-contained HTML report; `position` limits it to one document. */
  report: procedure
    .input(z.object({ id, position: z.number().int().nonnegative().optional() }))
    .query(({ ctx, input }) => ({ html: ctx.app.checks.report(input.id, { position: input.position }) })),
  /** Text of an uploaded .txt/.md/.docx/.pdf file (bytes as base64, at most MAX_UPLOAD_BYTES: 20 MB). */
  extractFile: procedure
    .input(
      z.object({
        name: z.string().min(1).max(1000),
        base64: z.string().max(MAX_UPLOAD_BASE64_CHARS, `The file is larger than ${MAX_FILE_SIZE_LABEL}.`),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.app.checks.extractFile({ name: input.name, bytes: Buffer.from(input.base64, 'base64') }),
    ),
  listProfiles: procedure.query(({ ctx }) => ctx.app.checks.listProfiles()),
  /** Fits a profile on known-human and known-LLM texts; it is saved inactive, with its before/after report. */
  createProfile: procedure
    .input(
      z.object({
        name,
        human: z.array(text).min(1, 'Add at least one text known to be written by a human.').max(2000),
        llm: z.array(text).max(2000),
        targetFpr: z.number().min(0.001).max(0.5).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.app.checks.createProfile(input)),
  activateProfile: procedure
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => ctx.app.checks.activateProfile(input.id)),
  /** Back to the profile active before the current one (or the shipped default). */
  revertProfile: procedure.mutation(({ ctx }) => ctx.app.checks.revertProfile()),
  useDefaultProfile: procedure.mutation(({ ctx }) => ctx.app.checks.useDefaultProfile()),
  deleteProfile: procedure.input(z.object({ id })).mutation(({ ctx, input }) => ctx.app.checks.deleteProfile(input.id)),
  /** Checks created, finished or deleted; profiles changed. Progress comes from jobs.onDidChange. */
  onDidChange: procedure.subscription(({ ctx, signal }) => eventStream(ctx.app.checks.onDidChange, signal)),
});
