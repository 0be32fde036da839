/**
 * One open document's link to the authoring core: loads it (`authoring.document`), queues the editor's
 * edits and sends them with `authoring.apply` every FLUSH_MS and whenever asked (blur, switch, hide),
 * guarded by the chain head. Unsent edits live in localStorage too, so a crash or reload replays them;
 * a conflict (another window or the CLI changed the document) reloads from the server and says so.
 */
import { HUMAN_AUTHOR_ID } from '../../../../src-main/authorship/common';
import type { Edit } from '../../../../src-main/authoring/common/contract';
import { api, errorCode, errorMessage } from '../../api/client';
import { EditQueue } from './edit-queue';
import type { CapturedChange } from './provenance-capture';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'error';

/** How long edits wait before they are sent (ms). */
export const FLUSH_MS = 800;

/** What the editor shows after a load. */
export interface LoadedDocument {
  /** The server's text (what `rich` was saved with, unless the text changed elsewhere since). */
  text: string;
  rich: unknown;
  /** Edits a previous session left unsent, to replay on top (they are queued to be sent again). */
  replayed: Edit[];
}

export class AuthoringSession {
  status = $state<SaveStatus>('saved');
  lastError = $state<string | null>(null);
  head = $state('');
  revision = $state(0);
  /** A message the writer should see once (a reload after a conflict, replayed edits). */
  notice = $state<string | null>(null);
  private queue: EditQueue;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending: Promise<void> | null = null;
  private richDirty = false;

  constructor(
    readonly documentId: string,
    /** The editor JSON to store beside the text, or null when the document has no formatting. */
    private readonly rich: () => unknown,
    /** Called after a conflict with the server's document, to show it instead. */
    private readonly onReload: (doc: LoadedDocument) => void,
  ) {
    this.queue = new EditQueue(documentId, { id: HUMAN_AUTHOR_ID, kind: 'human' }, localStorage);
  }

  /** Loads the document and any edits a crashed session left unsent (replayed only onto the head they followed). */
  async load(): Promise<LoadedDocument> {
    const doc = await api.authoring.document.query({ documentId: this.documentId });
    this.head = doc.head;
    this.revision = doc.revision;
    const saved = EditQueue.restore(localStorage, this.documentId);
    let text = doc.text;
    const replayed: Edit[] = [];
    if (saved && saved.head === doc.head && saved.edits.length > 0) {
      this.queue = new EditQueue(this.documentId, { id: HUMAN_AUTHOR_ID, kind: 'human' }, localStorage, doc.head);
      for (const e of saved.edits) {
        if (e.from > text.length || e.to > text.length || e.from > e.to) break;
        text = text.slice(0, e.from) + e.insert + text.slice(e.to);
        replayed.push(e);
        this.queue.push(e, e.operation, e.at ?? Date.now(), e.source);
      }
      this.notice = `${replayed.length} unsaved edit${replayed.length === 1 ? '' : 's'} from your last session restored.`;
      this.schedule();
    } else {
      if (saved) {
        EditQueue.discard(localStorage, this.documentId);
        this.notice =
          'Edits left unsaved by an earlier session no longer fit this document (it changed since) and were dropped.';
      }
      this.queue.clear(doc.head);
    }
    return { text: doc.text, rich: doc.rich, replayed };
  }

  /** Queues what the editor captured and schedules a save. */
  record(changes: readonly CapturedChange[], at: number): void {
    for (const c of changes) this.queue.push(c.change, c.operation, at, c.source);
    this.status = 'dirty';
    this.schedule();
  }

  /** Formatting changed without text: the next save sends the editor JSON alone. */
  formattingChanged(): void {
    this.richDirty = true;
    this.status = 'dirty';
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(false), FLUSH_MS);
  }

  /** Sends everything queued (a held cut too, when `all`); resolves once the server has it. */
  async flush(all = true): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.sending) await this.sending;
    const edits = this.queue.take(all);
    if (edits.length === 0 && !this.richDirty) {
      this.queue.fail();
      if (this.queue.length === 0 && this.status !== 'error') this.status = 'saved';
      return;
    }
    this.status = 'saving';
    this.richDirty = false;
    this.sending = (async () => {
      try {
        const result = await api.authoring.applyEdits.mutate({
          documentId: this.documentId,
          edits,
          rich: this.rich(),
          expectedHead: this.head,
        });
        this.queue.confirm(result.head);
        this.head = result.head;
        this.revision = result.revision;
        this.lastError = null;
        this.status = this.queue.length > 0 || this.richDirty ? 'dirty' : 'saved';
        if (this.status === 'dirty') this.schedule();
      } catch (e) {
        this.queue.fail();
        if (errorCode(e) === 'conflict') await this.reloadAfterConflict(errorMessage(e));
        else {
          this.richDirty = true;
          this.status = 'error';
          this.lastError = errorMessage(e);
        }
      } finally {
        this.sending = null;
      }
    })();
    await this.sending;
  }

  /** The server's document replaces the editor's; local unsent edits are dropped (they no longer apply). */
  private async reloadAfterConflict(message: string): Promise<void> {
    const doc = await api.authoring.document.query({ documentId: this.documentId });
    this.queue.clear(doc.head);
    this.head = doc.head;
    this.revision = doc.revision;
    this.status = 'saved';
    this.notice = `${message} The latest version was loaded; your last unsaved edits were not applied.`;
    this.onReload({ text: doc.text, rich: doc.rich, replayed: [] });
  }

  /** After the server applied an edit itself (an accepted suggestion): adopt its head, send formatting next. */
  adopt(result: { head: string; revision: number }): void {
    this.head = result.head;
    this.queue.clear(result.head);
    this.revision = result.revision;
    this.formattingChanged();
  }

  /** Stops the timer; call `flush` first to keep the last edits. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
