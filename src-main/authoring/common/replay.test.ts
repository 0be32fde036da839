import { describe, expect, it } from 'vitest';
import { editProblem, hasLoneSurrogate, ProvenanceReplay, type ReplayEdit } from './replay';
import type { SpanTable } from './span-table';

/** The independent reference: one entry per UTF-16 code unit, rules written out naively. */
interface RefChar {
  ch: string;
  author: string;
  kind: 'human' | 'model';
  op: string;
}
/** A removal the reference remembers: where, and the characters with their attribution. */
interface RefRemoval {
  at: number;
  chars: RefChar[];
}
const textOf = (chars: readonly RefChar[]) => chars.map((c) => c.ch).join('');

function refApply(doc: RefChar[], e: ReplayEdit, removals: RefRemoval[] = []): RefChar[] {
  let chars: RefChar[];
  // Undo/redo putting back removed text at its offset: the latest removal there that begins (else
  // ends) with the insert gives its characters; what is left of it stays, after the piece or at the offset.
  let restored: RefChar[] | null = null;
  if (!e.source && (e.operation === 'undo' || e.operation === 'redo') && e.insert) {
    const fits = (r: RefRemoval) => textOf(r.chars).startsWith(e.insert) || textOf(r.chars).endsWith(e.insert);
    const i = removals.findLastIndex((r) => r.at === e.from && fits(r));
    if (i >= 0) {
      const r = removals[i]!;
      const n = e.insert.length;
      const prefix = textOf(r.chars).startsWith(e.insert);
      restored = prefix ? r.chars.slice(0, n) : r.chars.slice(r.chars.length - n);
      const rest = prefix ? { at: r.at + n, chars: r.chars.slice(n) } : { at: r.at, chars: r.chars.slice(0, -n) };
      if (rest.chars.length) removals[i] = rest;
      else removals.splice(i, 1);
    }
  }
  if (e.source) chars = doc.slice(e.source.from, e.source.to).map((c) => ({ ...c }));
  else if (restored) chars = restored.map((c) => ({ ...c }));
  else {
    let op = e.operation;
    if (e.kind === 'human' && (op === 'type' || op === 'replace') && e.insert.length > 0) {
      const replaced = doc.slice(e.from, e.to).some((c) => c.kind === 'model');
      const before = doc[e.from - 1];
      const after = doc[e.to];
      if (replaced || (before?.kind === 'model' && after?.kind === 'model')) op = 'edited-after-llm';
    }
    chars = [...e.insert].flatMap((cp) => cp.split('').map((ch) => ({ ch, author: e.authorId, kind: e.kind, op })));
  }
  const removed = doc.splice(e.from, e.to - e.from, ...chars);
  if (removed.length > 0) removals.push({ at: e.from, chars: removed });
  return doc;
}

function expand(table: SpanTable): RefChar[] {
  const text = table.text();
  const out: RefChar[] = [];
  for (const s of table.spans())
    for (let i = s.start; i < s.end; i++)
      out.push({ ch: text[i]!, author: s.attr.authorId, kind: s.attr.kind, op: s.attr.operation });
  return out;
}

function play(edits: ReplayEdit[]): SpanTable {
  const replay = new ProvenanceReplay();
  const t = replay.table;
  for (const e of edits) {
    expect(editProblem(e, t.length, (a, b) => t.slice(a, b))).toBeNull();
    replay.apply(e);
  }
  return t;
}

/** Each span as [text, author, operation]. */
const spansOf = (t: SpanTable) =>
  t.spans().map((s) => [t.text().slice(s.start, s.end), s.attr.authorId, s.attr.operation]);

const human = (from: number, to: number, insert: string, operation = 'type'): ReplayEdit => ({
  authorId: 'human:me',
  kind: 'human',
  operation,
  from,
  to,
  insert,
});
const model = (from: number, to: number, insert: string, operation = 'continue'): ReplayEdit => ({
  authorId: 'model_a',
  kind: 'model',
  operation,
  from,
  to,
  insert,
});

describe('provenance replay', () => {
  it('keeps each character’s author through typing, model text, edits inside it and deletion', () => {
    const t = play([
      human(0, 0, 'Hello '),
      model(6, 6, 'big world'),
      human(9, 9, 'X'), // inside model text: edited-after-llm
      human(0, 1, ''), // delete "H"
      human(t0(), t0(), '!'), // typing at the end, after model text: plain typing
    ]);
    function t0() {
      return 'ello big world'.length + 1;
    }
    expect(t.text()).toBe('ello bigX world!');
    expect(t.spans().map((s) => [t.text().slice(s.start, s.end), s.attr.authorId, s.attr.operation])).toEqual([
      ['ello ', 'human:me', 'type'],
      ['big', 'model_a', 'continue'],
      ['X', 'human:me', 'edited-after-llm'],
      [' world', 'model_a', 'continue'],
      ['!', 'human:me', 'type'],
    ]);
  });

  it('an internal paste keeps the source authors; an external paste is the paster’s', () => {
    const t = play([
      human(0, 0, 'ab'),
      model(2, 2, 'CD'),
      { ...human(4, 4, 'bC', 'paste'), source: { from: 1, to: 3 } },
      human(0, 0, 'zz', 'paste'),
    ]);
    expect(t.text()).toBe('zzabCDbC');
    expect(expand(t).map((c) => `${c.ch}${c.kind[0]}${c.op}`)).toEqual([
      'zhpaste',
      'zhpaste',
      'ahtype',
      'bhtype',
      'Cmcontinue',
      'Dmcontinue',
      'bhtype',
      'Cmcontinue',
    ]);
  });

  it('a move (paste from the source, then delete the original) carries the characters’ authors', () => {
    const t = play([
      human(0, 0, 'one '),
      model(4, 4, 'two '),
      { ...human(0, 0, 'two ', 'drag'), source: { from: 4, to: 8 } },
      human(8, 12, '', 'drag'),
    ]);
    expect(t.text()).toBe('two one ');
    expect(t.spans().map((s) => [s.start, s.end, s.attr.authorId, s.attr.operation])).toEqual([
      [0, 4, 'model_a', 'continue'],
      [4, 8, 'human:me', 'type'],
    ]);
  });

  it('undoing the deletion of model text gives it back to the model, character by character', () => {
    const t = play([
      human(0, 0, 'Hi. '),
      model(4, 4, 'Model text.'),
      human(6, 13, '', 'delete'), // removes "del tex" (the person's deletion)
      human(6, 6, 'del tex', 'undo'),
    ]);
    expect(t.text()).toBe('Hi. Model text.');
    expect(spansOf(t)).toEqual([
      ['Hi. ', 'human:me', 'type'],
      ['Model text.', 'model_a', 'continue'],
    ]);
  });

  it('an accepted suggestion undone and redone is the model’s again', () => {
    const t = play([
      human(0, 0, 'Start '),
      model(6, 6, 'and then more', 'generate'),
      human(6, 19, '', 'undo'), // Ctrl+Z removes the accepted text
      human(6, 6, 'and then more', 'redo'), // Ctrl+Shift+Z puts it back
    ]);
    expect(spansOf(t)).toEqual([
      ['Start ', 'human:me', 'type'],
      ['and then more', 'model_a', 'generate'],
    ]);
  });

  it('undo across two authors: a deletion spanning both, then the one before it, restore each author', () => {
    const other = (from: number, to: number, insert: string, operation: string): ReplayEdit => ({
      ...model(from, to, insert, operation),
      authorId: 'model_b',
    });
    const t = play([
      human(0, 0, 'ab '),
      model(3, 3, 'CD '),
      other(6, 6, 'EF', 'polish'),
      human(4, 7, '', 'delete'), // "D E" across model_a and model_b
      human(0, 1, '', 'delete'), // then the human "a"
      human(0, 0, 'a', 'undo'), // undo the later edit first
      human(4, 4, 'D E', 'undo'),
      human(0, 1, '', 'redo'), // redo removes "a" again, undo restores it again
      human(0, 0, 'a', 'undo'),
    ]);
    expect(t.text()).toBe('ab CD EF');
    expect(spansOf(t)).toEqual([
      ['ab ', 'human:me', 'type'],
      ['CD ', 'model_a', 'continue'],
      ['EF', 'model_b', 'polish'],
    ]);
  });

  it('a backspace burst undone keystroke by keystroke, and a forward-delete burst from its end, are the model’s again', () => {
    const t = play([
      model(0, 0, 'abcdefgh'),
      human(2, 5, '', 'delete'), // backspaces over "cde": one coalesced edit
      human(2, 2, 'c', 'undo'), // ProseMirror puts back one keystroke at a time
      human(3, 3, 'd', 'undo'),
      human(4, 4, 'e', 'undo'),
      human(5, 7, '', 'delete'), // forward-deletes "fg" at 5
      human(5, 5, 'g', 'undo'), // the last keystroke first, each at the same offset
      human(5, 5, 'f', 'undo'),
    ]);
    expect(spansOf(t)).toEqual([['abcdefgh', 'model_a', 'continue']]);
  });

  it('an undo that does not put back removed text at its offset is the undoer’s, as before', () => {
    const t = play([
      model(0, 0, 'one two'),
      human(4, 7, '', 'delete'), // removes "two" at 4
      human(3, 3, 'two', 'undo'), // same text, another offset
      human(0, 0, 'x', 'undo'), // text nobody removed
      human(8, 8, ' one', 'redo'),
    ]);
    expect(t.text()).toBe('xonetwo  one');
    expect(spansOf(t)).toEqual([
      ['x', 'human:me', 'undo'],
      ['one', 'model_a', 'continue'],
      ['two', 'human:me', 'undo'],
      [' ', 'model_a', 'continue'],
      [' one', 'human:me', 'redo'],
    ]);
    // A removal is used up once restored: a second identical undo is the undoer's.
    const u = play([model(0, 0, 'ab'), human(0, 1, '', 'delete'), human(0, 0, 'a', 'undo'), human(0, 0, 'a', 'undo')]);
    expect(spansOf(u)).toEqual([
      ['a', 'human:me', 'undo'],
      ['ab', 'model_a', 'continue'],
    ]);
  });

  it('refuses out-of-range offsets, lone surrogates, split surrogate pairs and a wrong paste source', () => {
    const t = play([human(0, 0, 'a😀b')]);
    const slice = (a: number, b: number) => t.slice(a, b);
    expect(editProblem(human(0, 9, ''), t.length, slice)).toMatch(/outside the text/);
    expect(editProblem(human(3, 2, ''), t.length, slice)).toMatch(/outside the text/);
    expect(editProblem(human(0, 0, '\uD800x'), t.length, slice)).toMatch(/lone UTF-16 surrogate/);
    expect(editProblem(human(2, 2, 'x'), t.length, slice)).toMatch(/inside a surrogate pair/);
    expect(editProblem({ ...human(0, 0, 'zz'), source: { from: 0, to: 2 } }, t.length, slice)).toMatch(/differs/);
    expect(hasLoneSurrogate('😀')).toBe(false);
    expect(hasLoneSurrogate('\uDE00')).toBe(true);
  });

  it('matches a naive per-character model over 10,000 random edits, undo/redo restoring removed text included', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const words = ['a', 'bc', 'def ', '\n', '\t', '😀', 'é', ' the ', 'xyzzy'];
    const authors: Array<[string, 'human' | 'model', string[]]> = [
      ['human:me', 'human', ['type', 'type', 'paste', 'delete', 'undo', 'replace']],
      ['model_a', 'model', ['continue', 'polish']],
      ['model_b', 'model', ['rewrite', 'generate']],
    ];
    const replay = new ProvenanceReplay();
    const table = replay.table;
    let ref: RefChar[] = [];
    const refRemovals: RefRemoval[] = [];
    let restores = 0;
    // A clone taken midway (a checkpoint) must replay on exactly like the original, and neither may
    // change the other: one is left untouched, the other gets the rest of the edits again at the end.
    let checkpoint: { untouched: ProvenanceReplay; resumed: ProvenanceReplay; ref: RefChar[] } | null = null;
    const later: ReplayEdit[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i === 3_000) checkpoint = { untouched: replay.clone(), resumed: replay.clone(), ref: ref.slice() };
      const [authorId, kind, ops] = authors[rnd(10) < 7 ? 0 : 1 + rnd(2)]!;
      const len = table.length;
      // Offsets on code-point boundaries (the editor never splits a pair).
      const boundary = (p: number) =>
        p > 0 && p < len && ref[p - 1]!.ch >= '\uD800' && ref[p - 1]!.ch <= '\uDBFF' ? p + 1 : p;
      const a = boundary(rnd(len + 1));
      const b = rnd(4) === 0 ? boundary(Math.min(len, a + rnd(8))) : a;
      let insert = rnd(5) === 0 ? '' : words[rnd(words.length)]!.repeat(1 + rnd(3));
      if (a === b && !insert) insert = 'q';
      const e: ReplayEdit = { authorId, kind, operation: ops[rnd(ops.length)]!, from: a, to: b, insert };
      if (kind === 'human' && rnd(8) === 0 && len > 4) {
        const sf = boundary(rnd(len - 2));
        const st = boundary(Math.min(len, sf + 1 + rnd(6)));
        e.source = { from: sf, to: st };
        e.insert = ref
          .slice(sf, st)
          .map((c) => c.ch)
          .join('');
        e.operation = 'paste';
      }
      // Undo/redo: put back one of the latest removals where it was (as the history does), sometimes
      // over a few characters, sometimes at a wrong offset (which must fall back to the undoer).
      if (rnd(6) === 0 && refRemovals.length > 0) {
        const r = refRemovals[refRemovals.length - 1 - rnd(Math.min(3, refRemovals.length))]!;
        const at = rnd(5) === 0 ? boundary(rnd(len + 1)) : r.at;
        const to = rnd(4) === 0 ? boundary(Math.min(len, at + rnd(3))) : at;
        const back: ReplayEdit = {
          authorId: 'human:me',
          kind: 'human',
          operation: rnd(2) ? 'undo' : 'redo',
          from: at,
          to,
          insert: textOf(r.chars),
        };
        // Sometimes one history step's piece of it: a prefix at its offset, or a suffix at its offset.
        const cut = rnd(3) === 0 && r.chars.length > 1 ? 1 + rnd(r.chars.length - 1) : 0;
        if (cut) back.insert = rnd(2) ? back.insert.slice(0, cut) : back.insert.slice(cut);
        if (at <= len && !editProblem(back, len, (x, y) => table.slice(x, y))) {
          Object.assign(e, back);
          delete e.source;
          if (at === r.at) restores++;
        }
      }
      expect(editProblem(e, len, (x, y) => table.slice(x, y))).toBeNull();
      const deleted = replay.apply(e);
      if (checkpoint) later.push({ ...e });
      expect(deleted).toBe(textOf(ref.slice(e.from, e.to)));
      ref = refApply(ref, e, refRemovals);
      if (i % 500 === 0) expect(expand(table)).toEqual(ref);
    }
    expect(table.text()).toBe(ref.map((c) => c.ch).join(''));
    expect(expand(table)).toEqual(ref);
    expect(table.length).toBeGreaterThan(5000);
    expect(table.spans().length).toBeGreaterThan(1000);
    expect(restores).toBeGreaterThan(500);
    expect(expand(checkpoint!.untouched.table)).toEqual(checkpoint!.ref);
    for (const e of later) checkpoint!.resumed.apply(e);
    expect(expand(checkpoint!.resumed.table)).toEqual(ref);
  });
});
