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
 *   is `edited-after-llm` (human-written, but inside model text); any other human edit keeps its operation.
 * Deleting removes characters; the characters left keep their attribution.
 */
export function applyEdit(table: SpanTable, e: ReplayEdit): string {
  let runs: AttributedRun[];
  if (e.source) runs = table.runsIn(e.source.from, e.source.to);
  else if (e.kind === 'model') runs = [{ text: e.insert, attr: table.attr(e.authorId, 'model', e.operation) }];
  else {
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
    runs = [{ text: e.insert, attr: table.attr(e.authorId, 'human', operation) }];
  }
  const removed = table.delete(e.from, e.to);
  table.insert(e.from, runs);
  return removed.map((r) => r.text).join('');
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
