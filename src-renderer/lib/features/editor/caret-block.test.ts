import { getSchema } from '@tiptap/core';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { liveBlockDecorations } from './caret-block';
import { editorExtensions } from './extensions';
import { docFromText, posAt } from './plain-text';

const schema = getSchema(editorExtensions());

function liveBlocks(text: string, from: number, to = from): number[] {
  const doc = docFromText(schema, text);
  const state = EditorState.create({ doc, selection: TextSelection.create(doc, posAt(doc, from), posAt(doc, to)) });
  const starts = liveBlockDecorations(state)
    .find()
    .map((d) => d.from);
  const index: number[] = [];
  doc.forEach((_node, offset, i) => {
    if (starts.includes(offset)) index.push(i);
  });
  return index;
}

describe('liveBlockDecorations', () => {
  it('marks only the block holding the cursor, also a new empty one', () => {
    expect(liveBlocks('First line.\n\nSecond', 0)).toEqual([0]);
    expect(liveBlocks('First line.\n\nSecond', 12)).toEqual([1]);
    expect(liveBlocks('First line.\n\nSecond', 15)).toEqual([2]);
  });
  it('marks every block a selection spans', () => {
    expect(liveBlocks('a\nb\nc\nd', 0, 4)).toEqual([0, 1, 2]);
  });
});
