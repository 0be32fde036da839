import { z } from 'zod';
import {
  BATCH_ORDERS,
  MAX_STORY_AUTHORS,
  storyConfigInputSchema,
  storyListFilterSchema,
  type StoryEvent,
} from '../stories/common/contract';
import {
  builtinPrompts,
  parsePromptFile,
  startStoryBatch,
  startStoryRun,
  storyPresets,
  submitHumanPart,
} from '../stories';
import { eventStream } from './event-stream';
import { procedure } from './trpc';

const id = z.string().min(1).max(100);
const authorId = z.string().trim().min(1).max(200);
const authorIds = z.array(authorId).min(1).max(MAX_STORY_AUTHORS);
const promptText = z.string().trim().min(1, 'A story needs a prompt.').max(4000);
/** The run's settings: any field of StoryConfig, the preset's value for the rest. */
const configInput = storyConfigInputSchema.optional();

/**
 * `stories.*` generation procedures (spread into the stories router with the dataset ones). Runs
 * and batches are `stories.batch` jobs (progress, cancel, resume through `jobs.*`).
 */
export const storyGenerationProcedures = {
  /** The presets (collabstory, custom) with their full configs. */
  presets: procedure.query(() => storyPresets()),

  /** The built-in prompt set. */
  prompts: procedure.query(() => builtinPrompts()),

  /** Reads prompts from a txt / CSV / JSONL file's text; broken lines come back with their numbers. */
  parsePrompts: procedure
    .input(z.object({ fileName: z.string().min(1).max(500), content: z.string().max(50_000_000) }))
    .mutation(({ input }) => parsePromptFile(input.fileName, input.content)),

  /** Starts one story → `{storyId, jobId}`. Authors by id or name; unknown ones are refused. */
  run: procedure
    .input(
      z.object({
        prompt: promptText,
        authorIds,
        config: configInput,
        /** A built-in prompt id or a file name + line, when the prompt was not typed. */
        promptSource: z.string().max(1000).nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      startStoryRun(ctx.app.jobs, ctx.app.stories, {
        prompt: input.prompt,
        authorIds: input.authorIds,
        promptSource: input.promptSource ?? null,
        ...(input.config && { config: input.config }),
      }),
    ),

  /** Starts prompts × author sets × orders as one job → `{jobId, batchId, stories}`. */
  batch: procedure
    .input(
      z.object({
        prompts: z
          .array(z.object({ text: promptText, source: z.string().max(1000).nullable().optional() }))
          .min(1)
          .max(100_000),
        authorSets: z.array(authorIds).min(1).max(100),
        orders: z.enum(BATCH_ORDERS).default('given'),
        config: configInput,
      }),
    )
    .mutation(({ ctx, input }) =>
      startStoryBatch(ctx.app.jobs, ctx.app.stories, {
        prompts: input.prompts.map((p) => ({ text: p.text, source: p.source ?? null })),
        authorSets: input.authorSets,
        orders: input.orders,
        ...(input.config && { config: input.config }),
      }),
    ),

  /** The human writer's part of a story awaiting it → `{story, jobId}` (jobId null when it was the last part). */
  submitHumanPart: procedure
    .input(z.object({ storyId: id, text: z.string().max(100_000) }))
    .mutation(({ ctx, input }) => submitHumanPart(ctx.app.jobs, ctx.app.stories, input)),

  /** Stored stories, newest first → `{items: StorySummary[], total}`. */
  list: procedure.input(storyListFilterSchema.optional()).query(({ ctx, input }) => ctx.app.stories.listStories(input)),

  get: procedure.input(z.object({ id })).query(({ ctx, input }) => ctx.app.stories.getStory(input.id)),

  /** Deletes a story; its document goes to the trash. */
  delete: procedure.input(z.object({ id })).mutation(({ ctx, input }) => {
    ctx.app.stories.delete(input.id);
    return { id: input.id };
  }),

  /** StoryEvents of this process's runs (tokens included), of one story or one batch, or all. */
  events: procedure
    .input(z.object({ storyId: id.optional(), batchId: id.optional() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const stream = eventStream(
        ctx.app.stories.onDidEmit,
        signal,
        (e) =>
          (!input?.storyId || e.event.storyId === input.storyId) && (!input?.batchId || e.batchId === input.batchId),
      );
      for await (const e of stream) yield e.event satisfies StoryEvent;
    }),
};
