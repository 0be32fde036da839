import type { DocumentRecord, DocumentSummary } from '../../../../src-main/documents';
import { api, errorMessage } from '../../api/client';
import { toasts } from '../shell/toasts.svelte';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'error';

const AUTOSAVE_MS = 700;

/**
 * The document list and the open document. Edits autosave shortly after typing stops, on blur
 * and before the page unloads; each save becomes a revision with its contribution event.
 */
export class DocumentsState {
  list = $state<DocumentSummary[]>([]);
  query = $state('');
  loading = $state(true);
  current = $state<DocumentRecord | null>(null);
  draft = $state('');
  status = $state<SaveStatus>('saved');
  lastError = $state<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pendingOp: 'type' | 'paste' = 'type';
  private saving: Promise<void> | null = null;

  async refresh(): Promise<void> {
    try {
      this.list = await api.documents.list.query({ query: this.query || undefined });
    } catch (e) {
      toasts.error(errorMessage(e));
    } finally {
      this.loading = false;
    }
  }

  async open(id: string): Promise<void> {
    await this.flush();
    try {
      const doc = await api.documents.get.query({ id });
      this.current = doc;
      this.draft = doc.body;
      this.status = 'saved';
      localStorage.setItem('palimpsest.lastDocument', id);
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async create(input: { title?: string; body?: string } = {}): Promise<void> {
    await this.flush();
    try {
      const doc = await api.documents.create.mutate(input);
      await this.refresh();
      await this.open(doc.id);
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  edit(text: string, op: 'type' | 'paste' = 'type'): void {
    this.draft = text;
    if (op === 'paste') this.pendingOp = 'paste';
    this.status = 'dirty';
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(), AUTOSAVE_MS);
  }

  /** Saves now if anything is unsaved; resolves when the text is in the database. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.saving) await this.saving;
    if (this.status === 'dirty' || this.status === 'error') await this.save();
  }

  private async save(): Promise<void> {
    const doc = this.current;
    if (!doc || this.draft === doc.body) {
      this.status = 'saved';
      return;
    }
    const body = this.draft;
    const operation = this.pendingOp;
    this.pendingOp = 'type';
    this.status = 'saving';
    this.saving = (async () => {
      try {
        const saved = await api.documents.update.mutate({ id: doc.id, body, baseRevision: doc.revision, operation });
        if (this.current?.id === saved.id) this.current = saved;
        this.status = this.draft === saved.body ? 'saved' : 'dirty';
        this.lastError = null;
        if (this.status === 'dirty') this.edit(this.draft);
        void this.refresh();
      } catch (e) {
        this.status = 'error';
        // Shown once, in the editor's save status (not also as a toast).
        this.lastError = errorMessage(e);
      } finally {
        this.saving = null;
      }
    })();
    await this.saving;
  }

  async rename(title: string): Promise<void> {
    const doc = this.current;
    if (!doc || !title.trim() || title.trim() === doc.title) return;
    try {
      const renamed = await api.documents.rename.mutate({ id: doc.id, title });
      this.current = { ...renamed, body: this.current?.body ?? renamed.body };
      await this.refresh();
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async remove(id: string): Promise<void> {
    if (this.current?.id === id) await this.flush();
    try {
      const doc = await api.documents.delete.mutate({ id });
      if (this.current?.id === id) this.current = null;
      await this.refresh();
      toasts.show(`“${doc.title}” moved to the trash.`, {
        action: { label: 'Undo', run: () => void this.restore(id) },
      });
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async restore(id: string): Promise<void> {
    try {
      await api.documents.restore.mutate({ id });
      await this.refresh();
      await this.open(id);
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }
}
