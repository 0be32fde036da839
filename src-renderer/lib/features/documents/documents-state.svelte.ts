import type { DocumentRecord, DocumentSummary } from '../../../../src-main/documents';
import { api, errorMessage } from '../../api/client';
import { toasts } from '../shell/toasts.svelte';

/** What the open document's editor does when the view asks it to save (set by the editor while mounted). */
export interface OpenEditor {
  flush(): Promise<void>;
  readonly unsaved: boolean;
}

/** A file to load into a newly created document as its first ('import') edit. */
export interface PendingImport {
  documentId: string;
  name: string;
  text: string;
  format: 'txt' | 'md' | 'docx';
}

/**
 * The document list and which document is open. The open document's text is the editor's business
 * (src-renderer/lib/features/editor: edits go to `authoring.apply`); this class only asks it to save
 * before switching, deleting or leaving.
 */
export class DocumentsState {
  list = $state<DocumentSummary[]>([]);
  query = $state('');
  loading = $state(true);
  current = $state<DocumentRecord | null>(null);
  /** Changes on every open, also of the same document (after a restore), so the editor reloads. */
  openCount = $state(0);
  pendingImport: PendingImport | null = null;
  editor: OpenEditor | null = null;

  get unsaved(): boolean {
    return this.editor?.unsaved ?? false;
  }

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
      // The record's body is not shown: the editor loads text and formatting from authoring.document.
      this.current = doc;
      this.openCount++;
      localStorage.setItem('palimpsest.lastDocument', id);
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async create(input: { title?: string } = {}, file?: Omit<PendingImport, 'documentId'>): Promise<void> {
    await this.flush();
    try {
      const doc = await api.documents.create.mutate(input);
      if (file) this.pendingImport = { ...file, documentId: doc.id };
      await this.refresh();
      await this.open(doc.id);
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  /** Saves the open document's pending edits; resolves when the server has them. */
  async flush(): Promise<void> {
    await this.editor?.flush();
  }

  async rename(title: string): Promise<void> {
    const doc = this.current;
    if (!doc || !title.trim() || title.trim() === doc.title) return;
    try {
      const renamed = await api.documents.rename.mutate({ id: doc.id, title });
      if (this.current?.id === renamed.id) this.current = { ...this.current, title: renamed.title };
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
