import { getSchema } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { liftListItem, wrapInList } from '@tiptap/pm/schema-list';
import { describe, expect, it } from 'vitest';
import { editorExtensions } from './extensions';
import {
  docFromText,
  offsetAt,
  plainText,
  positionsOf,
  posAt,
  rangeText,
  replaceText,
  textLength,
  transactionChanges,
  type TextChange,
} from './plain-text';

const schema = getSchema(editorExtensions());
const n = schema.nodes;
const p = (t = '') => n.paragraph!.create(null, t ? schema.text(t) : null);
const h = (t: string) => n.heading!.create({ level: 1 }, schema.text(t));
const li = (...c: PmNode[]) => n.listItem!.create(null, c);
const rich = () =>
  n.doc!.create(null, [
    h('Title 😀'),
    p(),
    p('a\tb'),
    n.bulletList!.create(null, [li(p('one'), p('one b')), li(p('two'), n.bulletList!.create(null, [li(p('deep'))]))]),
    n.blockquote!.create(null, [p('quoted'), p()]),
    p('end'),
  ]);

function apply(text: string, changes: TextChange[]): string {
  for (const c of changes) {
    expect(c.from).toBeGreaterThanOrEqual(0);
    expect(c.to).toBeLessThanOrEqual(text.length);
    text = text.slice(0, c.from) + c.insert + text.slice(c.to);
  }
  return text;
}

/** A seeded generator, so a failure can be rerun. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('plain-text model', () => {
  it.each([
    '',
    'one line',
    'a\nb',
    '\n',
    'a\n\nb\n',
    '\n\n\nx\n\n',
    '\tindented\t\ttabs\n  two spaces  \n',
    'emoji 😀👍🏽 and 🇩🇪\nflag',
    'trailing spaces   \n\n',
  ])('round-trips %j through the editor document exactly', (text) => {
    const doc = docFromText(schema, text);
    expect(plainText(doc)).toBe(text);
    expect(textLength(doc)).toBe(text.length);
    expect(doc.childCount).toBe(text.split('\n').length);
  });

  it('joins every textblock with one newline, formatting moves no offset', () => {
    const doc = rich();
    expect(plainText(doc)).toBe('Title 😀\n\na\tb\none\none b\ntwo\ndeep\nquoted\n\nend');
    expect(textLength(doc)).toBe(plainText(doc).length);
  });

  it('maps every offset to a position and back, and positions to the text before them', () => {
    for (const doc of [rich(), docFromText(schema, 'a\n\n😀\tb\n'), docFromText(schema, '')]) {
      const text = plainText(doc);
      for (let k = 0; k <= text.length; k++) {
        const pos = posAt(doc, k);
        expect(doc.resolve(pos).parent.isTextblock).toBe(true);
        expect(offsetAt(doc, pos)).toBe(k);
        expect(rangeText(doc, 0, pos)).toBe(text.slice(0, k));
      }
      for (let pos = 0; pos <= doc.content.size; pos++) {
        const k = offsetAt(doc, pos);
        expect(rangeText(doc, 0, pos)).toBe(text.slice(0, k));
        expect(rangeText(doc, pos, doc.content.size)).toBe(text.slice(k));
      }
      const all = Array.from({ length: text.length + 1 }, (_, k) => k);
      expect(positionsOf(doc, all)).toEqual(all.map((k) => posAt(doc, k)));
    }
  });

  it('turns typing, splitting, joining, deleting across blocks and list changes into text edits', () => {
    let state = EditorState.create({ schema, doc: rich() });
    const run = (make: (s: EditorState) => ReturnType<EditorState['tr']['insertText']> | null) => {
      const before = plainText(state.doc);
      const tr = make(state);
      if (!tr) return;
      const changes = transactionChanges(tr);
      state = state.apply(tr);
      expect(apply(before, changes)).toBe(plainText(state.doc));
      return changes;
    };
    expect(run((s) => s.tr.insertText('X', posAt(s.doc, 2)))).toEqual([{ from: 2, to: 2, insert: 'X' }]);
    // Enter in the middle of a line: one "\n".
    expect(run((s) => s.tr.split(posAt(s.doc, 4)))).toEqual([{ from: 4, to: 4, insert: '\n' }]);
    // Backspace at the start of that line joins it back.
    expect(run((s) => s.tr.join(posAt(s.doc, 5) - 1))).toEqual([{ from: 4, to: 5, insert: '' }]);
    // A selection from the title into the list, deleted.
    run((s) => s.tr.delete(posAt(s.doc, 3), posAt(s.doc, 16)));
    // Wrapping a paragraph in a list and lifting it out change no text.
    run((s) => {
      const pos = posAt(s.doc, plainText(s.doc).length - 1);
      const tr = s.tr.setSelection(TextSelection.create(s.doc, pos));
      let out: typeof tr | null = null;
      wrapInList(n.bulletList!)(s.apply(tr), (t) => (out = t));
      return out;
    });
    run((s) => {
      let out: ReturnType<EditorState['tr']['insertText']> | null = null;
      liftListItem(n.listItem!)(s, (t) => (out = t));
      return out;
    });
    // Deleting the whole document content including the first block.
    expect(run((s) => s.tr.delete(0, s.doc.content.size))).toHaveLength(1);
    expect(plainText(state.doc)).toBe('');
  });

  it('replaceText writes multi-line text at plain offsets, inside lists too', () => {
    const state = EditorState.create({ schema, doc: rich() });
    const text = plainText(state.doc);
    const at = text.indexOf('one b') + 2;
    const tr = replaceText(state.tr, at, at + 3, 'X\n\nY');
    expect(plainText(tr.doc)).toBe(text.slice(0, at) + 'X\n\nY' + text.slice(at + 3));
    expect(apply(text, transactionChanges(tr))).toBe(plainText(tr.doc));
  });

  it('replays 2,000 random edits exactly, a text edit per step', () => {
    const rand = rng(8);
    let state = EditorState.create({ schema, doc: rich() });
    let reference = plainText(state.doc);
    const pieces = ['a', 'bc', ' ', '\t', '😀', '\n', 'x\ny', '\n\n', ''];
    for (let i = 0; i < 2000; i++) {
      const before = reference;
      // Offsets that never split an emoji's surrogate pair (the editor's selections never do).
      const snap = (k: number) => (/[\udc00-\udfff]/.test(before[k] ?? '') ? k - 1 : k);
      const from = snap(Math.floor(rand() * (before.length + 1)));
      const to = snap(Math.min(before.length, from + (rand() < 0.5 ? 0 : Math.floor(rand() * 6))));
      const insert = pieces[Math.floor(rand() * pieces.length)]!;
      const viaText = rand() < 0.8;
      const tr = viaText
        ? replaceText(state.tr, from, to, insert)
        : state.tr.delete(posAt(state.doc, from), posAt(state.doc, to));
      reference = apply(reference, transactionChanges(tr));
      // A structural delete may keep a line break the plain edit would remove; replaceText never does.
      if (viaText) expect(reference).toBe(before.slice(0, from) + insert + before.slice(to));
      state = state.apply(tr);
      expect(reference).toBe(plainText(state.doc));
    }
  });
});
