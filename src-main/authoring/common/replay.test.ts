import { describe, expect, it } from 'vitest';
import { applyEdit, editProblem, hasLoneSurrogate, type ReplayEdit } from './replay';
import { SpanTable } from './span-table';

/** The independent reference: one entry per UTF-16 code unit, rules written out naively. */
interface RefChar {
  ch: string;
  author: string;
  kind: 'human' | 'model';
  op: string;
}
function refApply(doc: RefChar[], e: ReplayEdit): RefChar[] {
  let chars: RefChar[];
  if (e.source) chars = doc.slice(e.source.from, e.source.to).map((c) => ({ ...c }));
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
  doc.splice(e.from, e.to - e.from, ...chars);
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
  const t = new SpanTable();
  for (const e of edits) {
    expect(editProblem(e, t.length, (a, b) => t.slice(a, b))).toBeNull();
    applyEdit(t, e);
  }
  return t;
}

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

  it('matches a naive per-character model over 10,000 random edits', () => {
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
    const table = new SpanTable();
    let ref: RefChar[] = [];
    for (let i = 0; i < 10_000; i++) {
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
      expect(editProblem(e, len, (x, y) => table.slice(x, y))).toBeNull();
      const deleted = applyEdit(table, e);
      expect(deleted).toBe(
        ref
          .slice(a, b)
          .map((c) => c.ch)
          .join(''),
      );
      ref = refApply(ref, e);
      if (i % 500 === 0) expect(expand(table)).toEqual(ref);
    }
    expect(table.text()).toBe(ref.map((c) => c.ch).join(''));
    expect(expand(table)).toEqual(ref);
    expect(table.length).toBeGreaterThan(5000);
    expect(table.spans().length).toBeGreaterThan(1000);
  });
});
