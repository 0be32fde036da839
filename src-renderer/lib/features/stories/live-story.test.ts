import { describe, expect, it } from 'vitest';
import type { StoryPart } from '../../../../src-main/stories/common/contract';
import { applyStoryEvent, emptyLive, liveFromStory, reuseShare, streamingPart, type LiveStory } from './live-story';

const part = (index: number, authorId: string, text: string, extra: Partial<StoryPart> = {}): StoryPart => ({
  index,
  authorId,
  authorName: authorId.toUpperCase(),
  model: 'm',
  text,
  words: text.split(/\s+/).filter(Boolean).length,
  promptHash: null,
  promptTokens: 100,
  reusedTokens: 80,
  completionTokens: 10,
  timeToFirstTokenMs: 5,
  totalMs: 50,
  attempts: 1,
  generationId: 1,
  ...extra,
});

const run = (events: Parameters<typeof applyStoryEvent>[1][], start: LiveStory = emptyLive('s1', null)) =>
  events.reduce(applyStoryEvent, start);

describe('live story', () => {
  it('streams tokens into the part in progress, then takes the stored part', () => {
    const s = run([
      { type: 'story-started', storyId: 's1', batchId: 'b1' },
      { type: 'part-started', storyId: 's1', index: 0, authorId: 'a', attempt: 1 },
      { type: 'token', storyId: 's1', index: 0, text: 'Once' },
      { type: 'token', storyId: 's1', index: 0, text: ' upon a' },
    ]);
    expect(s.batchId).toBe('b1');
    expect(streamingPart(s)?.text).toBe('Once upon a');
    const done = applyStoryEvent(s, { type: 'part-done', storyId: 's1', part: part(0, 'a', 'Once upon.') });
    expect(done.parts).toHaveLength(1);
    expect(done.parts[0]!.text).toBe('Once upon.');
    expect(streamingPart(done)).toBeUndefined();
  });

  it('restarts a regenerated part and marks the attempt', () => {
    const s = run([
      { type: 'part-started', storyId: 's1', index: 1, authorId: 'b', attempt: 1 },
      { type: 'token', storyId: 's1', index: 1, text: 'Too short' },
      { type: 'part-started', storyId: 's1', index: 1, authorId: 'b', attempt: 2 },
      { type: 'token', storyId: 's1', index: 1, text: 'Again' },
    ]);
    expect(streamingPart(s)).toMatchObject({ text: 'Again', attempt: 2 });
  });

  it('ignores other stories and tokens for parts already done, and keeps parts in order', () => {
    const base = liveFromStory({
      id: 's1',
      batchId: null,
      status: 'writing',
      error: null,
      parts: [part(1, 'b', 'B.')],
    });
    const s = run(
      [
        { type: 'token', storyId: 's2', index: 1, text: 'x' },
        { type: 'token', storyId: 's1', index: 1, text: 'x' },
        { type: 'part-started', storyId: 's1', index: 0, authorId: 'a', attempt: 1 },
        { type: 'story-done', storyId: 's1', status: 'failed', error: 'boom' },
      ],
      base,
    );
    expect(s.parts.map((p) => [p.index, p.text])).toEqual([
      [0, ''],
      [1, 'B.'],
    ]);
    expect(s).toMatchObject({ status: 'failed', error: 'boom' });
  });

  it('reports the share of prompt tokens reused', () => {
    expect(reuseShare(part(0, 'a', 'x'))).toBe(0.8);
    expect(reuseShare(part(0, 'a', 'x', { promptTokens: 0, reusedTokens: 0 }))).toBeNull();
  });
});
