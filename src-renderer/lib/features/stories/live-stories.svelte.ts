import type { Story, StoryAuthor, StoryEvent } from '../../../../src-main/stories/common/contract';
import { api, errorMessage } from '../../api/client';
import { applyStoryEvent, emptyLive, liveFromStory, type LiveStory } from './live-story';

/** Stories kept live at once; the oldest finished ones drop off (a long batch would grow forever). */
const KEEP = 200;

/**
 * Stories being written, live: one `stories.events` subscription for every story of this data folder
 * (also the CLI's, through the server), each story advanced by its events and filled in once from
 * `stories.get` (its authors and whatever was written before the view heard of it).
 */
export class LiveStories {
  stories = $state<Record<string, LiveStory>>({});
  authors = $state<Record<string, StoryAuthor[]>>({});
  prompts = $state<Record<string, string>>({});
  /** Each story's word budget per part (what the human writer is asked for). */
  wordsPerPart = $state<Record<string, number>>({});
  /** The story the live panel shows. */
  focusId = $state<string | null>(null);
  /** The batch the live panel lists, when a batch was started here. */
  batchId = $state<string | null>(null);
  /** How many stories that batch writes. */
  batchTotal = $state(0);
  error = $state<string | null>(null);
  focused = $derived(this.focusId ? this.stories[this.focusId] : undefined);
  /** Called once a story has finished (the list refreshes). */
  onFinished: (storyId: string) => void = () => {};
  private order = $state<string[]>([]);
  private unsubscribe: (() => void) | null = null;

  start(): void {
    if (this.unsubscribe) return;
    const sub = api.stories.events.subscribe(
      {},
      {
        onData: (e) => this.onEvent(e as StoryEvent),
        onError: (e) => (this.error = errorMessage(e)),
      },
    );
    this.unsubscribe = () => sub.unsubscribe();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Shows a story in the live panel, loading what it has so far. */
  async follow(storyId: string, batchId: string | null = null): Promise<void> {
    this.focusId = storyId;
    if (batchId) this.batchId = batchId;
    if (!this.stories[storyId]) this.track(emptyLive(storyId, batchId));
    await this.load(storyId);
  }

  batchStories = $derived(
    this.batchId
      ? this.order.map((id) => this.stories[id]).filter((s): s is LiveStory => s?.batchId === this.batchId)
      : [],
  );

  private onEvent(e: StoryEvent): void {
    const known = this.stories[e.storyId];
    if (!known) {
      this.track(emptyLive(e.storyId, e.type === 'story-started' ? e.batchId : null));
      void this.load(e.storyId);
    }
    this.stories[e.storyId] = applyStoryEvent(this.stories[e.storyId]!, e);
    // A new story of the batch being watched takes the panel, unless a person is writing a part.
    if (
      e.type === 'story-started' &&
      e.batchId &&
      e.batchId === this.batchId &&
      this.focused?.status !== 'awaiting-human'
    )
      this.focusId = e.storyId;
    if (e.type === 'story-done') this.onFinished(e.storyId);
  }

  /** Re-reads a story (after the human writer's part, which streams nothing). */
  reload(storyId: string): Promise<void> {
    return this.load(storyId);
  }

  /** Takes in the stored story; parts the events already brought stay as they are. */
  private async load(storyId: string): Promise<void> {
    let story: Story;
    try {
      story = await api.stories.get.query({ id: storyId });
    } catch (e) {
      this.error = errorMessage(e);
      return;
    }
    this.authors[storyId] = story.authors;
    this.prompts[storyId] = story.prompt;
    this.wordsPerPart[storyId] = story.config.wordsPerPart;
    const live = this.stories[storyId] ?? emptyLive(storyId, story.batchId);
    const stored = liveFromStory(story);
    const parts = [...stored.parts.filter((p) => !live.parts.some((q) => q.index === p.index)), ...live.parts].sort(
      (a, b) => a.index - b.index,
    );
    // While writing, the events' status is the newer one; the stored one wins once the story ended
    // or once the human writer's part went in (which the events do not report).
    const status = story.status === 'writing' && live.status !== 'awaiting-human' ? live.status : story.status;
    this.stories[storyId] = { ...live, batchId: story.batchId, status, error: story.error ?? live.error, parts };
  }

  private track(story: LiveStory): void {
    this.stories[story.id] = story;
    this.order.push(story.id);
    if (this.order.length > KEEP) {
      const drop = this.order.find((id) => id !== this.focusId && this.stories[id]?.status !== 'writing');
      if (drop) {
        this.order = this.order.filter((id) => id !== drop);
        delete this.stories[drop];
        delete this.authors[drop];
        delete this.prompts[drop];
        delete this.wordsPerPart[drop];
      }
    }
  }
}
