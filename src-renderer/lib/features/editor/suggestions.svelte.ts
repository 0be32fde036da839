/**
 * LLM operations in the Write view: asks one or several model authors (`authoring.suggest`) for a
 * suggestion at the selection, streams each as it comes, and resolves the one the writer keeps
 * (`authoring.resolveSuggestion`). Nothing enters the document before accept; pending edits are saved
 * before asking and before accepting, so the offsets the backend sees are the editor's.
 */
import type { ModelEditOperation } from '../../../../src-main/authoring/common/contract';
import { api, errorMessage } from '../../api/client';
import type { AuthoringSession } from './authoring-session.svelte';
import type { WriteEditor } from './write-editor';

/** The operations a writer can ask a model author for (`generate` is the CLI's whole-text writing). */
export type SuggestOperation = Exclude<ModelEditOperation, 'generate'>;

/** Operations that replace their range rather than insert at its end. */
const REPLACING: ReadonlySet<ModelEditOperation> = new Set(['polish', 'rewrite', 'summarize', 'instruction']);

export interface Suggestion {
  authorId: string;
  authorName: string;
  color: string;
  operation: SuggestOperation;
  /** The target range when asked (plain-text offsets). */
  from: number;
  to: number;
  context: string | null;
  text: string;
  /** The writer's version, when they edit it before accepting. */
  edited: string | null;
  status: 'streaming' | 'ready' | 'failed';
  error: string | null;
  suggestionId: string | null;
}

export class SuggestionsState {
  items = $state<Suggestion[]>([]);
  busy = $state(false);
  private subscriptions: Array<{ unsubscribe: () => void }> = [];

  constructor(
    private readonly documentId: string,
    private readonly session: AuthoringSession,
    private readonly editor: () => WriteEditor | null,
    private readonly onResolved: () => void,
  ) {}

  get active(): boolean {
    return this.items.length > 0;
  }

  /** The one shown inline in the document: the first author's (the others are side by side in the panel). */
  private showInline(): void {
    const ed = this.editor();
    const s = this.items[0];
    if (!ed) return;
    if (!s || this.items.length > 1) {
      ed.preview(null);
      return;
    }
    ed.preview({ text: s.edited ?? s.text, streaming: s.status === 'streaming', color: s.color, label: s.authorName });
  }

  /** Asks each author for `operation` on the current selection (the cursor when nothing is selected). */
  async start(
    operation: SuggestOperation,
    authors: ReadonlyArray<{ id: string; name: string; color: string }>,
    instruction?: string,
    /** Library passages (chunk ids) to use as context, as previewed to the writer. */
    passages: readonly number[] = [],
  ): Promise<void> {
    const ed = this.editor();
    if (!ed || authors.length === 0) return;
    this.stop();
    await this.session.flush();
    const sel = ed.selection();
    const from = operation === 'continue' ? sel.to : sel.from;
    const to = sel.to;
    this.items = authors.map((a) => ({
      authorId: a.id,
      authorName: a.name,
      color: a.color,
      operation,
      from,
      to,
      context: null,
      text: '',
      edited: null,
      status: 'streaming',
      error: null,
      suggestionId: null,
    }));
    ed.preview({
      from,
      to,
      text: '',
      replaces: REPLACING.has(operation) && to > from,
      streaming: true,
      color: authors[0]!.color,
      label: authors[0]!.name,
    });
    this.showInline();
    this.subscriptions = this.items.map((_, i) =>
      api.authoring.suggest.subscribe(
        {
          documentId: this.documentId,
          authorId: authors[i]!.id,
          operation,
          from,
          to,
          instruction: instruction || undefined,
          ...(passages.length ? { passages: [...passages] } : {}),
        },
        {
          onData: (ev) => this.onEvent(i, ev),
          onError: (e) => this.fail(i, errorMessage(e)),
        },
      ),
    );
  }

  private onEvent(
    i: number,
    ev:
      | { type: 'context'; description: string; chars: number; passages?: unknown[] }
      | { type: 'token'; text: string }
      | { type: 'done'; suggestionId: string; text: string; from: number; to: number }
      | { type: 'error'; message: string },
  ): void {
    const s = this.items[i];
    if (!s) return;
    if (ev.type === 'context') s.context = ev.description;
    else if (ev.type === 'token') s.text += ev.text;
    else if (ev.type === 'done') {
      s.text = ev.text;
      s.suggestionId = ev.suggestionId;
      s.status = 'ready';
      // Where it lands, in the text it was asked for (which the editor still shows unless the writer
      // typed meanwhile; then the preview's mapped range is the better guess).
      s.from = ev.from;
      s.to = ev.to;
      if (i === 0 && this.session.status === 'saved')
        this.editor()?.preview({ from: ev.from, to: ev.to, replaces: ev.to > ev.from });
    } else this.fail(i, ev.message);
    if (i === 0) this.showInline();
  }

  private fail(i: number, message: string): void {
    const s = this.items[i];
    if (!s) return;
    s.status = 'failed';
    s.error = message;
    if (this.items.every((x) => x.status === 'failed') && this.items.length === 1) this.editor()?.preview(null);
  }

  /** The writer changed suggestion `i`'s text before accepting it. */
  edit(i: number, text: string): void {
    const s = this.items[i];
    if (!s) return;
    s.edited = text === s.text ? null : text;
    if (i === 0) this.showInline();
  }

  /** Aborts every suggestion still streaming and clears them (nothing was applied). */
  stop(): void {
    for (const sub of this.subscriptions) sub.unsubscribe();
    this.subscriptions = [];
    this.items = [];
    this.editor()?.preview(null);
  }

  /** Accepts suggestion `i` (the first by default) where it lands now; the others are rejected. */
  async accept(i = 0): Promise<void> {
    const s = this.items[i];
    const ed = this.editor();
    if (!s || !ed || s.status !== 'ready' || !s.suggestionId || this.busy) return;
    this.busy = true;
    try {
      await this.session.flush();
      const landed = this.items.length === 1 ? (ed.previewRange() ?? s) : s;
      const text = s.edited ?? s.text;
      const result = await api.authoring.resolveSuggestion.mutate({
        documentId: this.documentId,
        suggestionId: s.suggestionId,
        action: 'accept',
        text: s.edited ?? undefined,
        from: landed.from,
        to: landed.to,
      });
      ed.preview(null);
      // The backend applied the edit (the model's text, then the writer's changes to it): make the
      // same change here without sending it again.
      ed.replace(landed.from, landed.to, text, { remote: true });
      this.session.adopt(result);
      await this.rejectOthers(i);
      this.items = [];
      this.onResolved();
    } catch (e) {
      s.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  private async rejectOthers(except: number): Promise<void> {
    const others = this.items.filter((x, j) => j !== except && x.suggestionId);
    await Promise.all(
      others.map((x) =>
        api.authoring.resolveSuggestion
          .mutate({ documentId: this.documentId, suggestionId: x.suggestionId!, action: 'reject' })
          .catch(() => undefined),
      ),
    );
  }

  /** Rejects every suggestion (stops those still streaming); the document stays as it is. */
  async reject(): Promise<void> {
    const ready = this.items.filter((x) => x.suggestionId);
    this.stop();
    await Promise.all(
      ready.map((x) =>
        api.authoring.resolveSuggestion
          .mutate({ documentId: this.documentId, suggestionId: x.suggestionId!, action: 'reject' })
          .catch(() => undefined),
      ),
    );
  }
}
