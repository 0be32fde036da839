import type { Story, StoryEvent, StoryPart, StoryStatus } from '../../../../src-main/stories/common/contract';

/**
 * A story as the live view draws it while it is being written: finished parts as stored, and the
 * part in progress as the tokens streamed so far. Built from `stories.get` and then advanced by
 * `stories.events`, so a view opened mid-story shows what is already there.
 */
export interface LivePart {
  index: number;
  authorId: string;
  /** Streamed text, or the stored text once the part is done (the unfinished sentence dropped). */
  text: string;
  /** Which attempt is streaming now (> 1: the part was regenerated for being too short). */
  attempt: number;
  /** The stored part, once done: words, tokens reused/evaluated, timings. */
  done: StoryPart | null;
}

export interface LiveStory {
  id: string;
  batchId: string | null;
  status: StoryStatus;
  error: string | null;
  parts: LivePart[];
}

export function liveFromStory(story: Pick<Story, 'id' | 'batchId' | 'status' | 'error' | 'parts'>): LiveStory {
  return {
    id: story.id,
    batchId: story.batchId,
    status: story.status,
    error: story.error,
    parts: story.parts.map((p) => ({
      index: p.index,
      authorId: p.authorId,
      text: p.text,
      attempt: p.attempts,
      done: p,
    })),
  };
}

export function emptyLive(id: string, batchId: string | null): LiveStory {
  return { id, batchId, status: 'writing', error: null, parts: [] };
}

/** The story after one event (a new object; events of other stories return it unchanged). */
export function applyStoryEvent(story: LiveStory, e: StoryEvent): LiveStory {
  if (e.storyId !== story.id) return story;
  switch (e.type) {
    case 'story-started':
      return { ...story, batchId: e.batchId, status: 'writing', error: null };
    case 'part-started': {
      // A regeneration restarts the part's text: the short attempt is discarded by the service too.
      const part: LivePart = { index: e.index, authorId: e.authorId, text: '', attempt: e.attempt, done: null };
      return { ...story, status: 'writing', parts: upsert(story.parts, part) };
    }
    case 'token': {
      const current = story.parts.find((p) => p.index === e.index);
      if (!current || current.done) return story;
      return { ...story, parts: upsert(story.parts, { ...current, text: current.text + e.text }) };
    }
    case 'part-done': {
      const p = e.part;
      const part: LivePart = { index: p.index, authorId: p.authorId, text: p.text, attempt: p.attempts, done: p };
      return { ...story, parts: upsert(story.parts, part) };
    }
    case 'story-done':
      return { ...story, status: e.status, error: e.error };
  }
}

function upsert(parts: readonly LivePart[], part: LivePart): LivePart[] {
  const out = parts.filter((p) => p.index !== part.index);
  out.push(part);
  return out.sort((a, b) => a.index - b.index);
}

/** The part being written now, if any. */
export const streamingPart = (story: LiveStory): LivePart | undefined => story.parts.find((p) => !p.done);

/** Share of prompt tokens a part took from the KV cache (null when the backend does not report tokens). */
export function reuseShare(part: Pick<StoryPart, 'promptTokens' | 'reusedTokens'>): number | null {
  return part.promptTokens > 0 ? part.reusedTokens / part.promptTokens : null;
}
