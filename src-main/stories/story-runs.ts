import { AppError } from '../core/app-error';
import type { JobRunner } from '../jobs';
import { newId } from '../store/ids';
import type { BatchOrders, Story, StoryBatchStarted, StoryConfigInput, StoryPrompt } from './common/contract';
import { expandBatch } from './batch-grid';
import { STORY_BATCH_JOB, type StoryJobPayload } from './batch-job';
import { resolveStoryConfig } from './presets';
import type { StoryService } from './story-service';

/** Starts writing one story (a job of one story). Unknown authors are refused before anything is stored. */
export function startStoryRun(
  jobs: JobRunner,
  stories: StoryService,
  input: { prompt: string; authorIds: readonly string[]; config?: StoryConfigInput; promptSource?: string | null },
): { storyId: string; jobId: string } {
  const config = resolveStoryConfig(input.config);
  const authors = stories.resolveAuthors(input.authorIds);
  const story = stories.create({ prompt: input.prompt, promptSource: input.promptSource ?? null, authors, config });
  const payload: StoryJobPayload = { kind: 'story', storyId: story.id };
  return { storyId: story.id, jobId: jobs.enqueue(STORY_BATCH_JOB, payload).id };
}

/**
 * Starts a batch: prompts × author sets × orders as one resumable job. Every author of every set
 * is resolved first, so an unknown one refuses the whole batch before it starts.
 */
export function startStoryBatch(
  jobs: JobRunner,
  stories: StoryService,
  input: {
    prompts: readonly StoryPrompt[];
    authorSets: readonly string[][];
    orders: BatchOrders;
    config?: StoryConfigInput;
  },
): StoryBatchStarted {
  const config = resolveStoryConfig(input.config);
  const prompts = input.prompts.map((p) => ({ text: p.text.replace(/\s+/g, ' ').trim(), source: p.source ?? null }));
  if (prompts.length === 0 || prompts.some((p) => !p.text))
    throw new AppError('bad_request', 'Every story needs a prompt.');
  if (input.authorSets.length === 0) throw new AppError('bad_request', 'Give at least one set of authors.');
  const sets = input.authorSets.map((set) => stories.resolveAuthors(set).map((a) => a.id));
  const units = expandBatch(prompts, sets, input.orders);
  const batchId = newId('batch');
  const payload: StoryJobPayload = { kind: 'batch', batchId, units, config };
  return { jobId: jobs.enqueue(STORY_BATCH_JOB, payload).id, batchId, stories: units.length };
}

/** Stores the writer's part; when model parts follow, continues the story as a job (its id returned). */
export function submitHumanPart(
  jobs: JobRunner,
  stories: StoryService,
  input: { storyId: string; text: string },
): { story: Story; jobId: string | null } {
  const { story, continues } = stories.submitHumanPart(input.storyId, input.text);
  if (!continues) return { story, jobId: null };
  const payload: StoryJobPayload = { kind: 'story', storyId: story.id };
  return { story, jobId: jobs.enqueue(STORY_BATCH_JOB, payload).id };
}
