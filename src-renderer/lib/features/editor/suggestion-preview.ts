/**
 * A model suggestion shown in the document before anyone accepted it: the generated text as ghost
 * text after its target (never part of the document, so it is in no edit and no provenance), and the
 * selection it would replace struck through. Tab or Ctrl+Enter accepts, Esc rejects (or stops it while
 * it streams); the target follows the writer's edits until then.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

export interface PreviewState {
  /** Document positions of the target range (from == to: insert at the cursor). */
  from: number;
  to: number;
  text: string;
  /** True for operations that replace their range (polish, rewrite, summarize, instruction). */
  replaces: boolean;
  streaming: boolean;
  color: string;
  label: string;
}

export const previewKey = new PluginKey<PreviewState | null>('palimpsest.suggestion');

/** Meta for previewKey: show or update a preview (positions only when starting one), or clear it (null). */
export type PreviewMeta = Partial<PreviewState> | null;

export interface SuggestionPreviewOptions {
  onAccept: () => void;
  onReject: () => void;
}

function ghost(p: PreviewState): HTMLElement {
  const el = document.createElement('span');
  el.className = 'pal-ghost';
  el.dataset.suggestion = p.streaming ? 'streaming' : 'ready';
  el.style.setProperty('--pal-ghost', p.color);
  el.title = `${p.label}: Tab or Ctrl+Enter accepts, Esc rejects`;
  el.textContent = p.text || (p.streaming ? '…' : '');
  return el;
}

export const SuggestionPreview = Extension.create<SuggestionPreviewOptions>({
  name: 'suggestionPreview',
  addOptions: () => ({ onAccept: () => {}, onReject: () => {} }),
  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<PreviewState | null>({
        key: previewKey,
        state: {
          init: () => null,
          apply(tr, value) {
            const meta = tr.getMeta(previewKey) as PreviewMeta | undefined;
            if (meta === null) return null;
            let next = value;
            if (next && tr.docChanged)
              next = { ...next, from: tr.mapping.map(next.from, -1), to: tr.mapping.map(next.to, 1) };
            if (meta)
              next = {
                ...(next ?? { from: 0, to: 0, text: '', replaces: false, streaming: true, color: '', label: '' }),
                ...meta,
              };
            return next;
          },
        },
        props: {
          decorations(state) {
            const p = previewKey.getState(state);
            if (!p) return null;
            const decorations = [
              Decoration.widget(p.to, () => ghost(p), { side: 1, key: `ghost-${p.streaming}-${p.text.length}` }),
            ];
            if (p.replaces && p.to > p.from) decorations.push(Decoration.inline(p.from, p.to, { class: 'pal-struck' }));
            return DecorationSet.create(state.doc, decorations);
          },
          handleKeyDown(view, event) {
            const p = previewKey.getState(view.state);
            if (!p) return false;
            if (event.key === 'Escape') {
              options.onReject();
              return true;
            }
            if (!p.streaming && (event.key === 'Tab' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey)))) {
              options.onAccept();
              return true;
            }
            return false;
          },
        },
      }),
    ];
  },
});
