import { z } from 'zod';
import { AppError } from '../core/app-error';
import { exportPayloadSchema } from '../stories/dataset/export-payload';
import { ANALYSIS_UNITS } from '../style-change/common/contract';
import { procedure } from './trpc';

const unit = z.enum(ANALYSIS_UNITS).default('paragraph');
/** Matches the detection limit: longer texts are refused, not truncated. */
const text = z
  .string()
  .min(1, 'Give a text to analyse.')
  .max(2_000_000, 'The text is too long (over 2,000,000 characters).');
const folder = z.string().trim().min(1).max(4096);

/**
 * `stories.*` dataset and analysis procedures (spread into the stories router with the generation
 * ones): the export job, style-change analysis of a story or any text, attribution to known
 * authors, and the analysis model (train on exported PAN truth, predict PAN solutions).
 */
export const storyDatasetProcedures = {
  /** Queues the `stories.export` job writing a dataset folder; follow it with jobs.onDidChange. */
  export: procedure.input(exportPayloadSchema).mutation(({ ctx, input }) => ctx.app.storyDatasets.startExport(input)),
  /**
   * Style change between consecutive units; for a stored story also its truth beside the predictions.
   * A mutation, like checks.checkText: a long text does not fit in a GET URL.
   */
  analyze: procedure
    .input(
      z
        .object({ storyId: z.string().min(1).max(100).optional(), text: text.optional(), unit })
        .refine((v) => (v.storyId === undefined) !== (v.text === undefined), 'Give either a story or a text.'),
    )
    .mutation(({ ctx, input }) =>
      input.storyId !== undefined
        ? ctx.app.storyDatasets.analyzeStory(input.storyId, input.unit)
        : { ...ctx.app.styleChange.analyzeText(input.text!, { unit: input.unit }), storyId: null, truth: null },
    ),
  /** Which known author wrote each unit, given sample texts of each. */
  attribute: procedure
    .input(
      z.object({
        text,
        authors: z
          .array(
            z.object({
              id: z.string().min(1).max(200),
              samples: z.array(z.string().min(1).max(200_000)).min(1).max(50),
            }),
          )
          .min(1)
          .max(20),
        unit,
      }),
    )
    .mutation(({ ctx, input }) => ctx.app.styleChange.attribute(input.text, input.authors, { unit: input.unit })),
  /** What the analysis runs on: trained when, on how many problems, with what F1. */
  analysisModel: procedure.query(({ ctx }) => ctx.app.styleChange.modelInfo()),
  /** Fits the analysis on a folder of PAN problems with truth (an export's pan/train). */
  analysisTrain: procedure
    .input(z.object({ dir: folder }))
    .mutation(({ ctx, input }) => ctx.app.styleChange.train(input.dir)),
  /** Writes solution-problem-N.json for each problem-N.txt of `dir` into `output`. */
  analysisPredict: procedure.input(z.object({ dir: folder, output: folder })).mutation(({ ctx, input }) => {
    if (input.dir === input.output)
      throw new AppError('bad_request', 'Write the solutions to another folder than the problems.');
    return ctx.app.styleChange.predict(input.dir, input.output);
  }),
};
