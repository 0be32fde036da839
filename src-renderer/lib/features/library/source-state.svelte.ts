/**
 * A passage opened in its source: the text around it with the passage marked, and for paged
 * sources (PDF) the whole page it sits on (`library.page`), with the page's other passages and
 * previous/next page.
 */
import type { PageView, Passage, PassageContext } from '../../../../src-main/library/common/contract';
import { api, errorMessage } from '../../api/client';

export class PassageSource {
  passage = $state<Passage | null>(null);
  context = $state<PassageContext | null>(null);
  page = $state<PageView | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private seq = 0;

  get open(): boolean {
    return this.passage !== null;
  }

  /** Opens a passage: its context, and its page when it has one. */
  async show(passage: Passage): Promise<void> {
    const seq = ++this.seq;
    this.passage = passage;
    this.context = null;
    this.page = null;
    this.error = null;
    this.loading = true;
    try {
      const context = await api.library.passage.query({ chunkId: passage.id });
      const page =
        context.passage.page !== null
          ? await api.library.page.query({ documentId: context.passage.documentId, page: context.passage.page })
          : null;
      if (seq !== this.seq) return;
      this.context = context;
      this.passage = context.passage;
      this.page = page;
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Shows another page of the open passage's document (the passage stays marked where it is). */
  async turn(delta: number): Promise<void> {
    const p = this.page;
    if (!p) return;
    const target = p.page + delta;
    if (target < 1 || target > p.pages) return;
    const seq = ++this.seq;
    this.loading = true;
    try {
      const page = await api.library.page.query({ documentId: p.documentId, page: target });
      if (seq === this.seq) this.page = page;
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  close(): void {
    this.seq++;
    this.passage = null;
    this.context = null;
    this.page = null;
    this.error = null;
    this.loading = false;
  }
}
