/**
 * The editor's schema: StarterKit's headings, lists, quotes and emphasis, without the nodes that would
 * put text or lines outside the plain-text model (code blocks hold "\n" inside one block, hard breaks
 * and rules are lines with no block of their own, the trailing-node rule adds a line nobody typed).
 */
import type { Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { CaretBlock } from './caret-block';

/** History groups changes made within this many ms into one undo step. */
const UNDO_GROUP_MS = 500;

export function editorExtensions(): Extensions {
  return [
    StarterKit.configure({
      codeBlock: false,
      hardBreak: false,
      horizontalRule: false,
      trailingNode: false,
      link: false,
      undoRedo: { newGroupDelay: UNDO_GROUP_MS },
    }),
    CaretBlock,
  ];
}
