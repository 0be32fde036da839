import type { Story, StoryStatus, StorySummary } from '../../../../src-main/stories/common/contract';
import { api, errorMessage } from '../../api/client';
import { toasts } from '../shell/toasts.svelte';

/** Rows fetched per page of the list. */
export const PAGE = 100;

/**
 * The stored stories: a filtered, paged list (batch, author, status, text search) and the story
 * opened from it.
 */
export class StoryBrowser {
  items = $state<StorySummary[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state<string | null>(null);
  batchId = $state('');
  authorId = $state('');
  status = $state<StoryStatus | ''>('');
  search = $state('');
  limit = $state(PAGE);
  open = $state<Story | null>(null);
  /** Batches seen in the unfiltered list, newest first, for the batch filter. */
  batches = $state<string[]>([]);
  private seq = 0;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;

  filter() {
    return {
      ...(this.batchId ? { batchId: this.batchId } : {}),
      ...(this.authorId ? { authorId: this.authorId } : {}),
      ...(this.status ? { status: this.status } : {}),
      ...(this.search.trim() ? { search: this.search.trim() } : {}),
      limit: this.limit,
    };
  }

  /** Reloads the list; an answer that arrives after a newer request's is dropped. */
  async refresh(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const res = await api.stories.list.query(this.filter());
      if (seq !== this.seq) return;
      this.items = res.items;
      this.total = res.total;
      this.error = null;
      for (const s of res.items)
        if (s.batchId && !this.batches.includes(s.batchId)) this.batches = [...this.batches, s.batchId];
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Text search waits for a pause in typing. */
  searchSoon(): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.refresh(), 250);
  }

  showMore(): void {
    this.limit += PAGE;
    void this.refresh();
  }

  async openStory(id: string): Promise<void> {
    try {
      this.open = await api.stories.get.query({ id });
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  /** Re-reads the open story when it is the one that changed. */
  async reloadOpen(id: string): Promise<void> {
    if (this.open?.id === id) await this.openStory(id);
  }

  async remove(id: string): Promise<boolean> {
    try {
      await api.stories.delete.mutate({ id });
      if (this.open?.id === id) this.open = null;
      await this.refresh();
      return true;
    } catch (e) {
      toasts.error(errorMessage(e));
      return false;
    }
  }
}
