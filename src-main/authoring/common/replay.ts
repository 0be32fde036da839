/**
 * How one edit changes who wrote each character: the attribution rules of provenance (documented in
 * docs/architecture/authoring.md). The core, the verifier and the editor all replay with this.
 */
import type { AuthorKind } from '../../authorship/common';
import { SpanTable, type AttributedRun } from './span-table';

/** The part of an edit that decides attribution. */
export interface ReplayEdit {
  authorId: string;
  kind: AuthorKind;
  operation: string;
  from: number;
  to: number;
  insert: string;
  source?: { from: number; to: number } | null;
}

/** Human operations that count as editing model text when they land inside or over it. */
const EDITING_OPERATIONS = new Set(['type', 'replace']);

/** The operation name of human keystrokes inside model-written text. */
export const EDITED_AFTER_LLM = 'edited-after-llm';

/**
 * Why an edit cannot be applied to a text of `length` code units, or null when it can. `slice`
 * reads the text before the edit (for surrogate pairs and the internal-paste source).
 */
export function editProblem(
  e: Pick<ReplayEdit, 'from' | 'to' | 'insert' | 'source'>,
  length: number,
  slice: (from: number, to: number) => string,
): string | null {
  if (!Number.isInteger(e.from) || !Number.isInteger(e.to) || e.from < 0 || e.to < e.from || e.to > length) {
    return `the range ${e.from}–${e.to} is outside the text (0–${length})`;
  }
  if (hasLoneSurrogate(e.insert)) return 'the inserted text has a lone UTF-16 surrogate (invalid Unicode)';
  for (const at of [e.from, e.to]) {
    if (at > 0 && at < length && splitsPair(slice(at - 1, at + 1))) {
      return `offset ${at} falls inside a surrogate pair (between the two halves of one character)`;
    }
  }
  if (e.source) {
    const s = e.source;
    if (!Number.isInteger(s.from) || !Number.isInteger(s.to) || s.from < 0 || s.to < s.from || s.to > length) {
      return `the paste source ${s.from}–${s.to} is outside the text (0–${length})`;
    }
    if (slice(s.from, s.to) !== e.insert) return 'the pasted text differs from the text at its source';
  }
  return null;
}

/**
 * Applies a checked edit to `table` and returns the text it deleted. Attribution:
 * - a model edit's characters are the model author's, with the edit's operation;
 * - an internal paste (`source`) copies the source characters' attributions;
 * - a human `type`/`replace` that replaces model characters, or lands between two model characters,
 *   is `edited-after-llm` (human-written, but inside model text); any other human edit keeps its operation;
 * - an `undo`/`redo` that puts back text an earlier edit removed at the same offset (all of it, or the
 *   piece one history step restores) gets that text's attribution back, character by character (see
 *   RemovalStack); any other undo/redo is the undoer's.
 * Deleting removes characters; the characters left keep their attribution. `removals` is the replay's
 * memory of removed text: one per replay, passed to every edit in order (ProvenanceReplay does this).
 */
export function applyEdit(table: SpanTable, e: ReplayEdit, removals: RemovalStack): string {
  const runs = attribution(table, e, removals);
  const removed = table.delete(e.from, e.to);
  table.insert(e.from, runs);
  const deleted = removed.map((r) => r.text).join('');
  if (deleted) removals.push(e.from, deleted, removed);
  return deleted;
}

/** The attributed runs `e` inserts (read before the edit changes the table). */
function attribution(table: SpanTable, e: ReplayEdit, removals: RemovalStack): AttributedRun[] {
  if (e.source) return table.runsIn(e.source.from, e.source.to);
  const restored = HISTORY_OPERATIONS.has(e.operation) ? removals.take(e.from, e.insert) : null;
  if (restored) return restored;
  if (e.kind === 'model') return [{ text: e.insert, attr: table.attr(e.authorId, 'model', e.operation) }];
  let operation = e.operation;
  if (EDITING_OPERATIONS.has(operation) && e.insert.length > 0) {
    const replacesModel = e.to > e.from && table.runsIn(e.from, e.to).some((r) => r.attr.kind === 'model');
    const inside =
      e.from > 0 &&
      e.to < table.length &&
      table.attrAt(e.from - 1).kind === 'model' &&
      table.attrAt(e.to).kind === 'model';
    if (replacesModel || inside) operation = EDITED_AFTER_LLM;
  }
  return [{ text: e.insert, attr: table.attr(e.authorId, 'human', operation) }];
}

/** Operations whose re-inserted text may be text an earlier edit removed. */
const HISTORY_OPERATIONS = new Set(['undo', 'redo']);

/**
 * Every run of text removed so far in a replay, with its attribution and the offset it was removed at,
 * so an undo or redo that puts back that text at that offset restores who wrote it (undoing the
 * deletion of model text gives it back to the model, not to the person pressing Ctrl+Z).
 *
 * `take(offset, text)` looks at the removals made at `offset`, most recent first, for one whose text
 * begins (else ends) with `text`: exactly the removed text, or the piece of it one history step puts
 * back (the editor joins a delete burst within 1 s into one edit, ProseMirror's history within 500 ms,
 * so one removal can come back in pieces: a backspace burst from its start, each next piece after the
 * last; a forward-delete burst from its end, each piece at the same offset). What was put back is
 * used up; the rest stays remembered where it
 * belongs (after the piece for a prefix, at the offset for a suffix). Derived from the log alone, so
 * provenance from the database and from a bundle agree and the client is trusted with nothing new.
 */
export class RemovalStack {
  /** Offset → removals still missing there (any order; `seq` says which is the most recent). */
  private readonly at = new Map<number, Removal[]>();
  private seq = 0;

  push(offset: number, text: string, runs: AttributedRun[]): void {
    this.add(offset, { seq: this.seq++, text, runs });
  }

  /** The attributed runs that `text` put back at `offset` restores (using them up), or null. */
  take(offset: number, text: string): AttributedRun[] | null {
    if (!text) return null;
    const list = this.at.get(offset);
    if (!list) return null;
    let hit = -1;
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      if ((hit < 0 || r.seq > list[hit]!.seq) && (r.text.startsWith(text) || r.text.endsWith(text))) hit = i;
    }
    if (hit < 0) return null;
    const r = list[hit]!;
    list.splice(hit, 1);
    if (list.length === 0) this.at.delete(offset);
    const n = text.length;
    if (r.text.startsWith(text)) {
      const [piece, rest] = splitRuns(r.runs, n);
      if (rest.length) this.add(offset + n, { seq: r.seq, text: r.text.slice(n), runs: rest });
      return piece;
    }
    const [rest, piece] = splitRuns(r.runs, r.text.length - n);
    this.add(offset, { seq: r.seq, text: r.text.slice(0, -n), runs: rest });
    return piece;
  }

  /**
   * An independent copy (for replay checkpoints): O(removals remembered). The removals themselves are
   * shared: they are never changed once pushed (`take` replaces a used one with new remainders).
   */
  clone(): RemovalStack {
    const copy = new RemovalStack();
    for (const [offset, list] of this.at) copy.at.set(offset, list.slice());
    copy.seq = this.seq;
    return copy;
  }

  private add(offset: number, r: Removal): void {
    let list = this.at.get(offset);
    if (!list) this.at.set(offset, (list = []));
    list.push(r);
  }
}

interface Removal {
  /** Order of the removal in the replay (a remainder keeps its removal's). */
  seq: number;
  text: string;
  runs: AttributedRun[];
}

/** `runs` cut after `n` code units: [the first n, the rest]. */
function splitRuns(runs: readonly AttributedRun[], n: number): [AttributedRun[], AttributedRun[]] {
  const head: AttributedRun[] = [];
  const tail: AttributedRun[] = [];
  let left = n;
  for (const r of runs) {
    if (left >= r.text.length) head.push(r);
    else if (left <= 0) tail.push(r);
    else {
      head.push({ text: r.text.slice(0, left), attr: r.attr });
      tail.push({ text: r.text.slice(left), attr: r.attr });
    }
    left -= r.text.length;
  }
  return [head, tail];
}

/** A replay in progress: the attributed text and the removals an undo or redo may restore. */
export class ProvenanceReplay {
  /** A new replay of the empty text (or, from `clone`, the copies it continues from). */
  constructor(
    readonly table = new SpanTable(),
    private readonly removals = new RemovalStack(),
  ) {}

  /** Applies a checked edit (see editProblem) and returns the text it deleted. */
  apply(e: ReplayEdit): string {
    return applyEdit(this.table, e, this.removals);
  }

  /** An independent copy that replays on from here exactly as this one would (a checkpoint). */
  clone(): ProvenanceReplay {
    return new ProvenanceReplay(this.table.clone(), this.removals.clone());
  }
}

/** True when `s` holds a high surrogate without its low half, or a low one without its high half. */
export function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function splitsPair(two: string): boolean {
  const a = two.charCodeAt(0);
  const b = two.charCodeAt(1);
  return a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff;
}
