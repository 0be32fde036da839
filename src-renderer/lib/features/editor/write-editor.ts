/**
 * The Write view's editor: TipTap (ProseMirror) with the plain-text model, provenance capture, author
 * colouring and suggestion previews. Everything the view does to the document goes through here, in
 * plain-text offsets, so no component handles ProseMirror positions.
 */
import { Editor, type JSONContent } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import type { Edit, EditOperation } from '../../../../src-main/authoring/common/contract';
import { AuthorColouring, colouringKey, type ColouringMeta } from './author-colouring';
import { editorExtensions } from './extensions';
import { findAll } from './find';
import { OPERATION_META, provenanceCapture, REMOTE_META, type CapturedChange } from './provenance-capture';
import { docFromText, offsetAt, plainText, posAt, replaceText } from './plain-text';
import { previewKey, SuggestionPreview, type PreviewMeta } from './suggestion-preview';

export interface WriteEditorOptions {
  element: HTMLElement;
  /** Off only in the keystroke bench's baseline. */
  capture?: boolean;
  onChanges: (changes: CapturedChange[], at: number) => void;
  /** The document changed locally (text or formatting): the JSON must be saved with the next edits. */
  onFormatting: () => void;
  onAcceptSuggestion: () => void;
  onRejectSuggestion: () => void;
  onBlur: () => void;
  onUpdate: () => void;
}

/** True when a document has anything plain paragraphs of text would lose. */
function hasFormatting(doc: PmNode): boolean {
  let found = false;
  doc.descendants((node) => {
    if (found) return false;
    if (node.type.name !== 'paragraph' && node.type.name !== 'text') found = true;
    else if (node.marks.length) found = true;
    return !found;
  });
  return found;
}

export class WriteEditor {
  readonly editor: Editor;

  constructor(private readonly options: WriteEditorOptions) {
    const extensions = [
      ...editorExtensions(),
      AuthorColouring,
      SuggestionPreview.configure({ onAccept: options.onAcceptSuggestion, onReject: options.onRejectSuggestion }),
    ];
    if (options.capture !== false) extensions.push(provenanceCapture(options.onChanges));
    this.editor = new Editor({
      element: options.element,
      extensions,
      // Read-only until load(): keys typed before the document arrived would be replaced by it.
      editable: false,
      // Tabs and runs of spaces are text like any other: parse pasted HTML keeping them.
      parseOptions: { preserveWhitespace: 'full' },
      editorProps: { attributes: { 'aria-label': 'Document text', spellcheck: 'true', class: 'pal-prose' } },
      // Later, not inside the event: switching documents blurs this editor while Svelte updates the view.
      onBlur: () => queueMicrotask(() => options.onBlur()),
      onUpdate: () => options.onUpdate(),
      onTransaction: ({ transaction }) => {
        // Any local change may change formatting (marks, headings, lists): the next save sends the JSON.
        if (transaction.docChanged && !transaction.getMeta(REMOTE_META)) options.onFormatting();
      },
    });
  }

  get doc(): PmNode {
    return this.editor.state.doc;
  }

  /**
   * Shows a loaded document: its editor JSON when that still holds the server's text, else the text as
   * paragraphs; then replays edits left unsent (already queued, so not captured again). Not undoable.
   */
  load(text: string, rich: unknown, replayed: readonly Edit[] = []): void {
    const schema = this.editor.schema;
    let doc: PmNode | null = null;
    if (rich && typeof rich === 'object') {
      try {
        doc = schema.nodeFromJSON(rich as JSONContent);
        doc.check();
        if (plainText(doc) !== text) doc = null;
      } catch {
        doc = null;
      }
    }
    doc ??= docFromText(schema, text);
    const tr = this.editor.state.tr.replaceWith(0, this.doc.content.size, doc.content);
    for (const e of replayed) replaceText(tr, e.from, e.to, e.insert);
    tr.setMeta(REMOTE_META, true).setMeta('addToHistory', false);
    tr.setSelection(TextSelection.atStart(tr.doc));
    this.editor.view.dispatch(tr);
    this.editor.setEditable(true, false);
  }

  /** Replaces the whole document by an import (recorded as one 'import' edit). */
  importDoc(doc: PmNode): void {
    const tr = this.editor.state.tr
      .replaceWith(0, this.doc.content.size, doc.content)
      .setMeta(OPERATION_META, 'import');
    this.editor.view.dispatch(tr);
  }

  /**
   * Replaces plain-text offsets `from`..`to` with `text`: `remote` for an edit the server already
   * recorded (an accepted suggestion), else captured with `operation`.
   */
  replace(from: number, to: number, text: string, how: { remote: true } | { operation: EditOperation }): void {
    const tr = replaceText(this.editor.state.tr, from, to, text);
    if ('remote' in how) tr.setMeta(REMOTE_META, true);
    else tr.setMeta(OPERATION_META, how.operation);
    this.editor.view.dispatch(tr);
  }

  text(): string {
    return plainText(this.doc);
  }

  /** The selection in plain-text offsets. */
  selection(): { from: number; to: number } {
    const { from, to } = this.editor.state.selection;
    return { from: offsetAt(this.doc, from), to: offsetAt(this.doc, to) };
  }

  select(from: number, to: number): void {
    const tr = this.editor.state.tr.setSelection(
      TextSelection.create(this.doc, posAt(this.doc, from), posAt(this.doc, to)),
    );
    this.editor.view.dispatch(tr.scrollIntoView());
  }

  /** The editor JSON to save beside the text, or null when plain paragraphs say it all. */
  rich(): unknown {
    return hasFormatting(this.doc) ? this.doc.toJSON() : null;
  }

  setColouring(meta: ColouringMeta): void {
    this.editor.view.dispatch(this.editor.state.tr.setMeta(colouringKey, meta));
  }

  /** Starts, updates or clears (null) the suggestion preview; `from`/`to` in plain-text offsets when starting. */
  preview(meta: (Omit<NonNullable<PreviewMeta>, 'from' | 'to'> & { from?: number; to?: number }) | null): void {
    let m: PreviewMeta = null;
    if (meta) {
      const { from, to, ...rest } = meta;
      m = { ...rest };
      if (from !== undefined) m.from = posAt(this.doc, from);
      if (to !== undefined) m.to = posAt(this.doc, to);
    }
    this.editor.view.dispatch(this.editor.state.tr.setMeta(previewKey, m));
  }

  /** Where the previewed suggestion would land now (plain-text offsets), after the writer's edits since. */
  previewRange(): { from: number; to: number } | null {
    const p = previewKey.getState(this.editor.state);
    return p ? { from: offsetAt(this.doc, p.from), to: offsetAt(this.doc, p.to) } : null;
  }

  /** Find: selects the next (or previous) match after the selection; false when there is none. */
  find(query: string, backwards = false, matchCase = false): boolean {
    const matches = findAll(this.text(), query, matchCase);
    if (matches.length === 0) return false;
    const sel = this.selection();
    const next = backwards
      ? ([...matches].reverse().find((m) => m.to < sel.to) ?? matches[matches.length - 1]!)
      : (matches.find((m) => m.from > sel.from) ?? matches[0]!);
    this.select(next.from, next.to);
    return true;
  }

  /** Replaces the selected match (then finds the next); with `all`, every match in one 'replace' transaction. */
  replaceMatches(query: string, replacement: string, all: boolean, matchCase = false): number {
    const matches = findAll(this.text(), query, matchCase);
    if (all) {
      if (matches.length === 0) return 0;
      let tr = this.editor.state.tr;
      // From the end, so earlier offsets stay valid.
      for (const m of [...matches].reverse()) tr = replaceText(tr, m.from, m.to, replacement);
      this.editor.view.dispatch(tr.setMeta(OPERATION_META, 'replace'));
      return matches.length;
    }
    const sel = this.selection();
    const current = matches.find((m) => m.from === sel.from && m.to === sel.to);
    if (current) this.replace(current.from, current.to, replacement, { operation: 'replace' });
    this.find(query, false, matchCase);
    return current ? 1 : 0;
  }

  focus(): void {
    this.editor.commands.focus();
  }

  destroy(): void {
    this.editor.destroy();
  }
}
