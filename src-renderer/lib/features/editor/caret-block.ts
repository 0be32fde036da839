/**
 * Marks the top-level blocks that hold the selection with `pal-live`, so CSS can keep them out of
 * `content-visibility: auto`. Chromium may lay out a block that skips rendering after the DOM
 * selection was read, and a fast first keystroke in a new empty paragraph then landed *after* the
 * text typed next (seen as "econd line.S"); the blocks being edited must always be rendered.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

export const LIVE_BLOCK_CLASS = 'pal-live';

/** Node decorations for the top-level blocks from the selection's start to its end. */
export function liveBlockDecorations(state: EditorState): DecorationSet {
  const { from, to } = state.selection;
  const decorations: Decoration[] = [];
  state.doc.forEach((node, offset) => {
    const end = offset + node.nodeSize;
    if (end >= from && offset <= to) decorations.push(Decoration.node(offset, end, { class: LIVE_BLOCK_CLASS }));
  });
  return DecorationSet.create(state.doc, decorations);
}

export const CaretBlock = Extension.create({
  name: 'caretBlock',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('caretBlock'),
        props: { decorations: liveBlockDecorations },
      }),
    ];
  },
});
