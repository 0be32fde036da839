import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { JobRunner } from '../jobs';
import { JOB_KINDS } from '../jobs/common/job-kinds';
import type { JobContext } from '../jobs/types';
import { MAX_STORY_AUTHORS, storyConfigSchema } from './common/contract';
import { Slots, storySlots } from './provider-slots';
import type { StoryOutcome, StoryService } from './story-service';

export const STORY_BATCH_JOB = JOB_KINDS.storiesBatch;

const unitSchema = z.object({
  prompt: z.string().min(1),
  source: z.string().nullable(),
  /** Registry author ids (or HUMAN_TURN), in writing order. */
  authorIds: z.array(z.string().min(1)).min(1).max(MAX_STORY_AUTHORS),
});
export type BatchUnit = z.infer<typeof unitSchema>;

export const storyJobPayloadSchema = z.discriminatedUnion('kind', [
  /** A grid of stories; story i is created when its turn comes, as (batchId, i). */
  z.object({
    kind: z.literal('batch'),
    batchId: z.string().min(1),
    units: z.array(unitSchema).min(1),
    config: storyConfigSchema,
  }),
  /** One stored story written on from its last part (`stories.run`, after the human writer's part). */
  z.object({ kind: z.literal('story'), storyId: z.string().min(1) }),
]);
export type StoryJobPayload = z.infer<typeof storyJobPayloadSchema>;

export interface StoryJobResult {
  stories: number;
  done: number;
  failed: number;
  awaitingHuman: number;
  storyIds: string[];
}

export interface StoryJobOptions {
  /** Enabled endpoints of a pool (concurrency scales with them). */
  poolSize?: (name: string) => number;
}

/**
 * Registers `stories.batch`. A batch is one resumable job: stories run concurrently up to each
 * provider's slots (a story's parts are sequential), each story's final status is written in the
 * same transaction as the job's progress (`ctx.step`), and a story's row is unique per
 * (batch, position). A killed batch resumes: finished stories are skipped, a story in flight
 * continues after its last stored part, none is written twice. One story failing (an unreachable
 * author, a model giving nothing usable) is stored as failed with its message; the batch goes on.
 */
export function registerStoryJobs(jobs: JobRunner, stories: StoryService, options: StoryJobOptions = {}): void {
  // Debug aid for crash tests, as for imports: slows each finished story.
  const stepDelayMs = Number(process.env.PALIMPSEST_JOB_STEP_DELAY_MS ?? 0);
  const poolSize = options.poolSize ?? (() => 1);
  jobs.register<StoryJobPayload, Record<string, never>, StoryJobResult>({
    kind: STORY_BATCH_JOB,
    payloadSchema: storyJobPayloadSchema,
    async run(ctx) {
      const payload = ctx.payload;
      if (payload.kind === 'story') {
        const outcome = await runOne(ctx, stories, payload.storyId);
        ctx.step(() => stories.finish(payload.storyId, outcome), {
          state: {},
          done: 1,
          total: 1,
          message: describe(outcome),
        });
        return tally([{ id: payload.storyId, status: outcome.status }]);
      }
      const { batchId, units, config } = payload;
      const total = units.length;
      const existing = new Map(stories.store.batchEntries(batchId).map((e) => [e.index, e]));
      let done = [...existing.values()].filter((e) => e.status !== 'writing').length;
      let failed = [...existing.values()].filter((e) => e.status === 'failed').length;
      const message = (): string => {
        const t = stories.store.batchTokens(batchId);
        const reused = t.promptTokens > 0 ? Math.round((100 * t.reusedTokens) / t.promptTokens) : 0;
        return (
          `${done}/${total} stories${failed ? ` · ${failed} failed` : ''} · ` +
          `${(t.promptTokens + t.completionTokens).toLocaleString('en')} tokens (${reused}% of prompt tokens reused)`
        );
      };
      ctx.progress(done, total, done > 0 ? `Resuming: ${message()}` : message());
      const lanes = new Map<string, Slots>();
      const laneOf = (unit: BatchUnit): Slots => {
        // A story holds a slot of its first model author's provider.
        const authors = stories.resolveAuthors(unit.authorIds);
        const first = authors.find((a) => a.kind === 'model');
        const ref = first ? stories.providerOf(first) : null;
        const key = ref ?? 'human';
        let lane = lanes.get(key);
        if (!lane) lanes.set(key, (lane = new Slots(storySlots(ref, poolSize))));
        return lane;
      };
      const runUnit = async (index: number): Promise<void> => {
        const unit = units[index]!;
        const prior = existing.get(index);
        if (prior && prior.status !== 'writing') return;
        let release: (() => void) | undefined;
        let storyId = prior?.id;
        let outcome: StoryOutcome;
        try {
          release = await laneOf(unit).acquire(ctx.signal);
          storyId ??= stories.create({
            prompt: unit.prompt,
            promptSource: unit.source,
            authors: stories.resolveAuthors(unit.authorIds),
            config,
            batchId,
            batchIndex: index,
          }).id;
          outcome = await runOne(ctx, stories, storyId);
        } catch (e) {
          release?.();
          if (ctx.signal.aborted || storyId !== undefined) throw e;
          // An author deleted since the batch started: its stories fail, the batch goes on.
          outcome = { status: 'failed', error: errorMessage(e) };
          storyId = stories.create({
            prompt: unit.prompt,
            promptSource: unit.source,
            authors: unit.authorIds.map((id) => ({ id, name: id, kind: 'model', model: null, color: '#888888' })),
            config,
            batchId,
            batchIndex: index,
          }).id;
        }
        release?.();
        done++;
        if (outcome.status === 'failed') failed++;
        const id = storyId;
        ctx.step(() => stories.finish(id, outcome), { state: {}, done, total, message: message() });
        if (stepDelayMs > 0) await sleep(stepDelayMs, undefined, { signal: ctx.signal }).catch(() => {});
      };
      const results = await Promise.allSettled(units.map((_, i) => runUnit(i)));
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (rejected) throw rejected.reason;
      return tally(stories.store.batchEntries(batchId).sort((a, b) => a.index - b.index));
    },
  });
}

/**
 * Writes one story. Its own failures become a failed outcome; an abort is a cancel (the story is
 * stored as failed "Cancelled.") or a stop of the runner (rethrown: the story resumes later).
 */
async function runOne(
  ctx: JobContext<unknown, unknown>,
  stories: StoryService,
  storyId: string,
): Promise<StoryOutcome> {
  try {
    return await stories.write(storyId, ctx.signal);
  } catch (e) {
    if (!ctx.signal.aborted) return { status: 'failed', error: errorMessage(e) };
    const reason: unknown = ctx.signal.reason;
    if ((reason as { code?: string } | undefined)?.code === 'conflict') {
      stories.finish(storyId, { status: 'failed', error: 'Cancelled.' });
    }
    throw e;
  }
}

function errorMessage(e: unknown): string {
  const err = e as { userMessage?: unknown; message?: unknown };
  const text =
    typeof err?.userMessage === 'string' ? err.userMessage : typeof err?.message === 'string' ? err.message : String(e);
  return text || 'The story could not be written.';
}

function describe(o: StoryOutcome): string {
  return o.status === 'failed'
    ? `Failed: ${o.error ?? ''}`
    : o.status === 'awaiting-human'
      ? 'Waiting for your part'
      : 'Done';
}

function tally(entries: ReadonlyArray<{ id: string; status: string }>): StoryJobResult {
  return {
    stories: entries.length,
    done: entries.filter((e) => e.status === 'done').length,
    failed: entries.filter((e) => e.status === 'failed').length,
    awaitingHuman: entries.filter((e) => e.status === 'awaiting-human').length,
    storyIds: entries.map((e) => e.id),
  };
}
