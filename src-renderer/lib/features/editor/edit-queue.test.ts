import { getSchema } from '@tiptap/core';
import { history, redo, undo } from '@tiptap/pm/history';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { HUMAN_AUTHOR_ID } from '../../../../src-main/authorship/common';
import { editProblem, ProvenanceReplay, type Edit, type SpanTable } from '../../../../src-main/authoring/common';
import { EditQueue, type QueueStorage } from './edit-queue';
import { editorExtensions } from './extensions';
import { captureTransaction, OPERATION_META, REMOTE_META } from './provenance-capture';
import { docFromText, plainText, posAt } from './plain-text';

const schema = getSchema(editorExtensions());
const human = { id: HUMAN_AUTHOR_ID, kind: 'human' as const };

class MemoryStorage implements QueueStorage {
  readonly map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

/** Replays edits the way the core does, starting from one model-written text. */
function replay(modelText: string, edits: Edit[]): SpanTable {
  const r = new ProvenanceReplay();
  const table = r.table;
  r.apply({ authorId: 'model:a', kind: 'model', operation: 'continue', from: 0, to: 0, insert: modelText });
  for (const e of edits) {
    expect(editProblem(e, table.length, (a, b) => table.slice(a, b))).toBeNull();
    r.apply({ ...e, authorId: e.author });
  }
  return table;
}

/** The transaction a history command (undo/redo) would dispatch. */
function history$(command: typeof undo, st: EditorState): Transaction {
  let out: Transaction | null = null;
  command(st, (t) => (out = t));
  if (!out) throw new Error('nothing to undo or redo');
  return out;
}

/** Runs transactions through capture into a queue, as the editor does. */
function session(text: string) {
  let state = EditorState.create({ schema, doc: docFromText(schema, text), plugins: editorPlugins() });
  const queue = new EditQueue('d1', human);
  let now = 1000;
  const run = (make: (s: EditorState) => Transaction, ms = 100) => {
    now += ms;
    const tr = make(state);
    for (const c of captureTransaction(tr, null)) queue.push(c.change, c.operation, now, c.source);
    state = state.apply(tr);
  };
  return { run, queue, text: () => plainText(state.doc), state: () => state };
}

/** Only the history plugin matters here (undo/redo metadata); the rest of the editor is DOM-side. */
const editorPlugins = () => [history({ newGroupDelay: 500 })];

describe('edit capture and queue', () => {
  it('coalesces a typing burst, and typing then a paste stays two events', () => {
    const s = session('');
    for (const ch of 'Hello') s.run((st) => st.tr.insertText(ch, st.selection.from));
    s.run((st) => st.tr.insertText(' pasted', st.selection.from).setMeta('uiEvent', 'paste').setMeta('paste', true));
    const edits = s.queue.take();
    expect(edits.map((e) => [e.operation, e.from, e.to, e.insert])).toEqual([
      ['type', 0, 0, 'Hello'],
      ['paste', 5, 5, ' pasted'],
    ]);
    expect(edits.every((e) => e.author === HUMAN_AUTHOR_ID && e.kind === 'human')).toBe(true);
  });

  it('starts a new typing event after a pause or a jump, and coalesces backspaces', () => {
    const s = session('abcdef');
    s.run((st) => st.tr.insertText('X', posAt(st.doc, 1)));
    s.run((st) => st.tr.insertText('Y', posAt(st.doc, 2)), 2000);
    s.run((st) => st.tr.insertText('Z', posAt(st.doc, 6)));
    for (let i = 0; i < 3; i++) s.run((st) => st.tr.delete(posAt(st.doc, 5 - i), posAt(st.doc, 6 - i)));
    expect(s.text()).toBe('aXYZef');
    const edits = s.queue.take();
    expect(edits.map((e) => [e.operation, e.from, e.to, e.insert])).toEqual([
      ['type', 1, 1, 'X'],
      ['type', 2, 2, 'Y'],
      ['type', 6, 6, 'Z'],
      ['delete', 3, 6, ''],
    ]);
    expect(replay('abcdef', edits).text()).toBe(s.text());
  });

  it('records undo and redo, named operations, and skips remote transactions', () => {
    const s = session('abc');
    s.run((st) => st.tr.insertText('!', posAt(st.doc, 3)));
    s.run((st) => {
      let out: Transaction | null = null;
      undo(st, (t) => (out = t));
      return out!;
    }, 1000);
    s.run((st) => st.tr.insertText('X', posAt(st.doc, 0)).setMeta(OPERATION_META, 'replace'));
    s.run((st) => st.tr.insertText('R', posAt(st.doc, 0)).setMeta(REMOTE_META, true));
    expect(s.queue.take().map((e) => [e.operation, e.from, e.to, e.insert])).toEqual([
      ['type', 3, 3, '!'],
      ['undo', 3, 4, ''],
      ['replace', 0, 0, 'X'],
    ]);
  });

  it('undo and redo put removed text back at its offset, so the core gives it back to its author', () => {
    const s = session('Hi. ');
    // Times far apart: each change is its own history event.
    let t = 10_000;
    const at = (tr: Transaction) => tr.setTime((t += 10_000));
    // An accepted suggestion lands as a remote transaction (in the history, not captured).
    s.run((st) => at(st.tr.insertText('Model text.', posAt(st.doc, 4)).setMeta(REMOTE_META, true)));
    s.run((st) => at(st.tr.delete(posAt(st.doc, 6), posAt(st.doc, 13)))); // "del tex"
    s.run((st) => at(history$(undo, st)));
    expect(s.text()).toBe('Hi. Model text.');
    s.run((st) => at(history$(undo, st))); // the accepted suggestion goes
    s.run((st) => at(history$(redo, st))); // and comes back
    s.run((st) => at(history$(redo, st))); // "del tex" deleted again
    s.run((st) => at(history$(undo, st)));
    const edits = s.queue.take();
    expect(edits.map((e) => [e.operation, e.from, e.to, e.insert])).toEqual([
      ['delete', 6, 13, ''],
      ['undo', 6, 6, 'del tex'],
      ['undo', 4, 15, ''],
      ['redo', 4, 4, 'Model text.'],
      ['redo', 6, 13, ''],
      ['undo', 6, 6, 'del tex'],
    ]);
    // The server's log: the human "Hi. ", the accepted suggestion, then the captured edits.
    const r = new ProvenanceReplay();
    r.apply({ authorId: HUMAN_AUTHOR_ID, kind: 'human', operation: 'type', from: 0, to: 0, insert: 'Hi. ' });
    r.apply({ authorId: 'model:a', kind: 'model', operation: 'continue', from: 4, to: 4, insert: 'Model text.' });
    for (const e of edits) {
      expect(editProblem(e, r.table.length, (a, b) => r.table.slice(a, b))).toBeNull();
      r.apply({ ...e, authorId: e.author });
    }
    expect(r.table.text()).toBe(s.text());
    expect(r.table.spans().map((sp) => [sp.start, sp.end, sp.attr.authorId, sp.attr.operation])).toEqual([
      [0, 4, HUMAN_AUTHOR_ID, 'type'],
      [4, 15, 'model:a', 'continue'],
    ]);
  });

  it('a delete burst the queue joins but the history splits in two comes back as its author’s', () => {
    const s = session('abcdefgh');
    let t = 10_000;
    // Keystrokes 700 ms apart: one typing burst for the queue (1 s), two history events (500 ms).
    const key = (make: (st: EditorState) => Transaction, ms: number) => s.run((st) => make(st).setTime((t += ms)), ms);
    key((st) => st.tr.delete(posAt(st.doc, 4), posAt(st.doc, 5)), 5000); // backspace "e"
    key((st) => st.tr.delete(posAt(st.doc, 3), posAt(st.doc, 4)), 50); // "d"
    key((st) => st.tr.delete(posAt(st.doc, 2), posAt(st.doc, 3)), 700); // "c"
    key((st) => st.tr.delete(posAt(st.doc, 2), posAt(st.doc, 3)), 5000); // forward delete "f"
    key((st) => st.tr.delete(posAt(st.doc, 2), posAt(st.doc, 3)), 700); // "g"
    expect(s.text()).toBe('abh');
    for (let i = 0; i < 4; i++) key((st) => history$(undo, st), 5000);
    expect(s.text()).toBe('abcdefgh');
    const edits = s.queue.take();
    expect(edits.map((e) => [e.operation, e.from, e.to, e.insert])).toEqual([
      ['delete', 2, 5, ''],
      ['delete', 2, 4, ''],
      ['undo', 2, 2, 'g'], // the end of the removed "fg", at its offset
      ['undo', 2, 2, 'f'],
      ['undo', 2, 2, 'c'], // the start of the removed "cde"
      ['undo', 3, 3, 'de'],
    ]);
    expect(
      replay('abcdefgh', edits)
        .spans()
        .map((sp) => [sp.start, sp.end, sp.attr.authorId]),
    ).toEqual([[0, 8, 'model:a']]);
  });

  it('holds a cut back until the next edit; a paste of other text leaves cut and paste as they were', () => {
    const s = session('one two three');
    // Cut "two " (model text), paste it at the end.
    s.run((st) => st.tr.delete(posAt(st.doc, 4), posAt(st.doc, 8)).setMeta('uiEvent', 'cut'));
    expect(s.queue.take()).toEqual([]); // held: it may become a move
    s.run((st) => st.tr.insertText(' two', posAt(st.doc, 9)).setMeta('uiEvent', 'paste'));
    expect(s.text()).toBe('one three two');
    const edits = s.queue.take();
    expect(edits.map((e) => [e.operation, e.from, e.to, e.insert, e.source])).toEqual([
      ['cut', 4, 8, '', undefined],
      ['paste', 9, 9, ' two', undefined],
    ]);
    // ' two' differs from the cut 'two ': an external paste, the cut stands.
    expect(replay('one two three', edits).text()).toBe('one three two');
  });

  it('a move by cut and paste of exactly the cut text cites its source, before or after it', () => {
    for (const target of [0, 9]) {
      const s = session('one two three');
      s.run((st) => st.tr.delete(posAt(st.doc, 4), posAt(st.doc, 8)).setMeta('uiEvent', 'cut'));
      s.run((st) => st.tr.insertText('two ', posAt(st.doc, target)).setMeta('uiEvent', 'paste'));
      const edits = s.queue.take();
      expect(edits[0]!.source).toEqual({ from: 4, to: 8 });
      const table = replay('one two three', edits);
      expect(table.text()).toBe(s.text());
      expect(table.spans().every((sp) => sp.attr.authorId === 'model:a')).toBe(true);
    }
  });

  it('a drag-and-drop move becomes a paste citing its source, then the removal', () => {
    const s = session('alpha beta gamma');
    s.run((st) => {
      const tr = st.tr.setSelection(TextSelection.create(st.doc, posAt(st.doc, 6), posAt(st.doc, 11)));
      tr.deleteSelection();
      tr.insertText('beta ', posAt(tr.doc, 0));
      return tr.setMeta('uiEvent', 'drop');
    });
    expect(s.text()).toBe('beta alpha gamma');
    const edits = s.queue.take();
    expect(edits.map((e) => [e.operation, e.from, e.to, e.source])).toEqual([
      ['drag', 0, 0, { from: 6, to: 11 }],
      ['drag', 11, 16, undefined],
    ]);
    const table = replay('alpha beta gamma', edits);
    expect(table.text()).toBe('beta alpha gamma');
    expect(table.spans().every((sp) => sp.attr.authorId === 'model:a')).toBe(true);
  });

  it('keeps unconfirmed edits in storage until the server confirms them', () => {
    const storage = new MemoryStorage();
    const q = new EditQueue('d1', human, storage, 'h0');
    q.push({ from: 0, to: 0, insert: 'a' }, 'type', 1);
    q.push({ from: 1, to: 1, insert: 'b' }, 'paste', 2);
    expect(EditQueue.restore(storage, 'd1')).toMatchObject({ head: 'h0', edits: [{ insert: 'a' }, { insert: 'b' }] });
    const sent = q.take();
    q.push({ from: 2, to: 2, insert: 'c' }, 'type', 3); // typed while sending: not merged into the batch
    expect(sent.map((e) => e.insert)).toEqual(['a', 'b']);
    q.confirm('h1');
    expect(EditQueue.restore(storage, 'd1')).toMatchObject({ head: 'h1', edits: [{ insert: 'c', from: 2 }] });
    q.take();
    q.confirm('h2');
    expect(EditQueue.restore(storage, 'd1')).toBeNull();
  });
});
