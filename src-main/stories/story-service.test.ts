import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthoringService } from '../authoring/authoring-service';
import { ScriptedProvider } from '../authoring/operations/scripted-provider';
import { AuthorService } from '../authorship/author-service';
import { GenerationLog } from '../authorship/generation-log';
import { DocumentService } from '../documents';
import { JobRunner } from '../jobs';
import type { GenerationRequest } from '../llm/provider';
import { openStore, type Store } from '../store';
import { tempDir } from '../../test/helpers/temp-dir';
import { HUMAN_TURN } from './common/contract';
import { registerStoryJobs } from './batch-job';
import { resolveStoryConfig } from './presets';
import { StoryService } from './story-service';
import { startStoryBatch, startStoryRun, submitHumanPart } from './story-runs';

/** n words of a sentence-shaped text, ending with a finished sentence (or not). */
const words = (n: number, finished = true): string =>
  Array.from({ length: n }, (_, i) => (i % 8 === 7 ? 'word.' : 'word'))
    .join(' ')
    .replace(/\.$/, '') + (finished ? '.' : '');

describe('StoryService with a scripted model', () => {
  let store: Store;
  let jobs: JobRunner;
  let stories: StoryService;
  let authors: AuthorService;
  let documents: DocumentService;
  let authoring: AuthoringService;
  let provider: ScriptedProvider;
  let ids: string[];

  beforeEach(() => {
    store = openStore({ dataDir: tempDir() });
    jobs = new JobRunner(store.db, { progressIntervalMs: 0 });
    documents = new DocumentService(store.db);
    authoring = new AuthoringService(store.db);
    authors = new AuthorService(store.db);
    const generations = new GenerationLog(store.db);
    provider = new ScriptedProvider(() => ({ tokens: [words(180)] }));
    stories = new StoryService({
      db: store.db,
      documents,
      authoring,
      llm: () => ({ authors, generations, resolveProvider: async () => provider }),
    });
    registerStoryJobs(jobs, stories);
    ids = ['Ada', 'Bo', 'Cy'].map(
      (name, i) =>
        authors.createModelAuthor({ name, provider: 'local', model: 'scripted', systemPrompt: `Persona ${i + 1}.` }).id,
    );
    jobs.start();
  });
  afterEach(async () => {
    await jobs.stop();
    store.close();
  });

  const prompts = (): Array<GenerationRequest & { kind: 'completion' }> =>
    provider.requests.filter((r): r is GenerationRequest & { kind: 'completion' } => r.kind === 'completion');

  it('follows the CollabStory rules: regeneration under 160 words, dropped unfinished sentence, per-part sampling and seeds', async () => {
    let call = 0;
    // Part 1: first attempt 100 words (regenerated), second 170 words + an unfinished sentence.
    provider.handle(() => {
      call++;
      if (call === 1) return { tokens: [words(100)] };
      if (call === 2) return { tokens: [words(170), ' And then the'] };
      return { tokens: [words(175)] };
    });
    const { storyId, jobId } = startStoryRun(jobs, stories, {
      prompt: 'A lighthouse keeper finds a letter.',
      authorIds: ids,
      config: { seed: 40 },
    });
    expect((await jobs.whenDone(jobId)).status).toBe('succeeded');
    const story = stories.getStory(storyId);
    expect(story.status).toBe('done');
    expect(story.parts.map((p) => p.authorName)).toEqual(['Ada', 'Bo', 'Cy']);
    expect(story.parts[0]!.attempts).toBe(2);
    expect(story.parts[0]!.text.endsWith('word.')).toBe(true);
    expect(story.parts[0]!.text).not.toContain('And then');
    expect(story.parts[0]!.words).toBe(170);

    const reqs = prompts();
    expect(reqs).toHaveLength(4);
    expect(reqs.map((r) => [r.topP, r.topK, r.maxTokens])).toEqual([
      [0.95, 50, 260],
      [0.95, 50, 260],
      [0.9, 50, 260],
      [0.9, 50, 260],
    ]);
    // seed + part index on the first attempt; a regeneration gets another seed.
    expect(reqs[0]!.seed).toBe(40);
    expect(reqs[1]!.seed).not.toBe(40);
    expect(reqs[2]!.seed).toBe(41);
    expect(reqs[3]!.seed).toBe(42);
    // Later authors get a summary of the story so far and its last sentence, after the shared prompt.
    expect(reqs[2]!.prompt).toContain('Summary of the story so far:');
    expect(reqs[2]!.prompt).toContain('Last sentence of the story so far: word word.\n');
    expect(reqs[0]!.prompt).not.toContain('Summary');
    expect(reqs[2]!.prompt.startsWith('Story prompt: A lighthouse keeper finds a letter.')).toBe(true);
    expect(reqs[2]!.prompt.trimEnd().endsWith('Persona 2.]')).toBe(true);
    // One KV sequence for the story's authors on one model.
    expect(new Set(reqs.map((r) => r.cacheKey))).toEqual(new Set([`story:${storyId}:scripted`]));

    // The Write-view document holds the parts as contributions of their authors, linked to generations.
    const doc = documents.get(story.documentId);
    expect(doc.body).toBe(story.parts.map((p) => p.text).join('\n'));
    const prov = authoring.provenance(story.documentId);
    expect(new Set(prov.spans.map((s) => s.authorId))).toEqual(new Set(ids));
    expect(prov.spans.map((s) => s.operation)).toEqual(['generate', 'continue', 'continue']);
    expect(story.parts.every((p) => p.generationId !== null && /^[0-9a-f]{64}$/.test(p.promptHash!))).toBe(true);
  });

  it('full context: every earlier turn comes first, byte-identical, and the author-specific part last', async () => {
    const { jobId, storyId } = startStoryRun(jobs, stories, {
      prompt: 'Two towns build a bridge.',
      authorIds: ids,
      config: { preset: 'custom', context: 'full' },
    });
    await jobs.whenDone(jobId);
    const reqs = prompts();
    for (let k = 1; k < reqs.length; k++) {
      const prevPart = stories.getStory(storyId).parts[k - 1]!.text;
      // Part k's prompt starts with part k-1's prompt followed by its text.
      expect(reqs[k]!.prompt.startsWith(reqs[k - 1]!.prompt + prevPart)).toBe(true);
    }
  });

  it('same seed and settings give the same prompts; a model giving only garbage fails the story with a clear error', async () => {
    provider.handle(() => ({ tokens: ['### ??? ###'] }));
    const { storyId, jobId } = startStoryRun(jobs, stories, { prompt: 'A map that moves.', authorIds: [ids[0]!] });
    await jobs.whenDone(jobId);
    const story = stories.getStory(storyId);
    expect(story.status).toBe('failed');
    expect(story.error).toMatch(/Ada returned no usable text for part 1 \(3 attempts/);
  });

  it('refuses an unknown author before storing anything; resolves names', () => {
    expect(() => startStoryRun(jobs, stories, { prompt: 'x', authorIds: ['Ada', 'Nobody'] })).toThrow(
      /Unknown author "Nobody"/,
    );
    expect(stories.listStories().total).toBe(0);
    expect(stories.resolveAuthors(['bo', HUMAN_TURN]).map((a) => a.kind)).toEqual(['model', 'human']);
  });

  it('an unreachable author fails its story and the batch goes on', async () => {
    const { LlmError } = await import('../llm/errors');
    provider.handle((r) =>
      r.kind === 'completion' && r.prompt.includes('Persona 2.')
        ? { tokens: [], fail: new LlmError('unreachable', 'The server at 127.0.0.1:9 cannot be reached.') }
        : { tokens: [words(170)] },
    );
    const started = startStoryBatch(jobs, stories, {
      prompts: [
        { text: 'One.', source: null },
        { text: 'Two.', source: null },
      ],
      authorSets: [[ids[0]!], [ids[1]!]],
      orders: 'given',
    });
    expect(started.stories).toBe(4);
    const job = await jobs.whenDone(started.jobId);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ stories: 4, done: 2, failed: 2 });
    const failed = stories.listStories({ status: 'failed' }).items;
    expect(failed.map((s) => s.error)).toEqual([
      'The server at 127.0.0.1:9 cannot be reached.',
      'The server at 127.0.0.1:9 cannot be reached.',
    ]);
    expect(job.message).toMatch(/4\/4 stories · 2 failed · [\d,]+ tokens/);
  });

  it('orders all writes every permutation; a human turn waits for the writer and then continues', async () => {
    const started = startStoryBatch(jobs, stories, {
      prompts: [{ text: 'A kite will not come down.', source: 'builtin:kite-festival' }],
      authorSets: [[ids[0]!, ids[1]!, ids[2]!]],
      orders: 'all',
    });
    expect(started.stories).toBe(6);
    await jobs.whenDone(started.jobId);
    const orders = stories
      .listStories({ batchId: started.batchId })
      .items.map((s) => s.authors.map((a) => a.name).join(''));
    expect(new Set(orders)).toEqual(new Set(['AdaBoCy', 'AdaCyBo', 'BoAdaCy', 'BoCyAda', 'CyAdaBo', 'CyBoAda']));

    const run = startStoryRun(jobs, stories, {
      prompt: 'A choir sings with lights.',
      authorIds: [ids[0]!, HUMAN_TURN, ids[1]!],
    });
    await jobs.whenDone(run.jobId);
    expect(stories.getStory(run.storyId).status).toBe('awaiting-human');
    expect(() => submitHumanPart(jobs, stories, { storyId: run.storyId, text: '  ' })).toThrow(/Write your part/);
    const next = submitHumanPart(jobs, stories, { storyId: run.storyId, text: 'The lights went blue, then gold.' });
    await jobs.whenDone(next.jobId!);
    const story = stories.getStory(run.storyId);
    expect(story.status).toBe('done');
    expect(story.parts.map((p) => [p.authorId, p.generationId === null])).toEqual([
      [ids[0], false],
      [HUMAN_TURN, true],
      [ids[1], false],
    ]);
    expect(authoring.provenance(story.documentId).spans.map((s) => s.kind)).toEqual(['model', 'human', 'model']);
  });

  it('presets: collabstory is the paper protocol; a config overrides field by field', () => {
    const c = resolveStoryConfig();
    expect(c).toMatchObject({
      wordsPerPart: 180,
      minWords: 160,
      maxTokens: 260,
      context: 'summary',
      dropUnfinishedSentence: true,
    });
    expect(c.firstSampling).toEqual({ topP: 0.95, topK: 50 });
    expect(c.laterSampling).toEqual({ topP: 0.9, topK: 50 });
    expect(resolveStoryConfig({ preset: 'custom', seed: 3 })).toMatchObject({
      preset: 'custom',
      context: 'full',
      minWords: 0,
      seed: 3,
    });
    expect(() => resolveStoryConfig({ preset: 'nope' })).toThrow(/Unknown preset/);
  });
});
