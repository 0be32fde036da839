/**
 * The editor's plain-text model (see src-main/authoring/common/contract.ts): the document's text is its
 * textblocks (paragraphs, headings, list items' paragraphs) joined by "\n", so one block is one line and
 * an empty paragraph is an empty line. Formatting never moves an offset. Pure ProseMirror, no DOM: the
 * capture plugin, the colouring, find/replace and the unit tests share these mappings.
 *
 * Offsets are UTF-16 code units. `offsetAt` and `posAt` walk the tree using per-node counts cached by
 * node identity; ProseMirror shares unchanged nodes between versions, so after a keystroke only the
 * path to the edited block is counted again.
 */
import { Fragment, Slice, type Node as PmNode, type Schema } from '@tiptap/pm/model';
import type { Transaction } from '@tiptap/pm/state';

interface Counts {
  /** Text characters inside the node. */
  chars: number;
  /** Textblocks inside the node (itself included). */
  blocks: number;
}

const counts = new WeakMap<PmNode, Counts>();

function countsOf(node: PmNode): Counts {
  if (node.isText) return { chars: node.text!.length, blocks: 0 };
  let c = counts.get(node);
  if (c) return c;
  c = { chars: 0, blocks: node.isTextblock ? 1 : 0 };
  for (let i = 0; i < node.childCount; i++) {
    const child = countsOf(node.child(i));
    c.chars += child.chars;
    c.blocks += child.blocks;
  }
  counts.set(node, c);
  return c;
}

/** Length of the plain text of `doc`. */
export function textLength(doc: PmNode): number {
  const c = countsOf(doc);
  return c.chars + Math.max(0, c.blocks - 1);
}

/** The plain text of `doc`: its textblocks joined by "\n". */
export function plainText(doc: PmNode): string {
  return doc.textBetween(0, doc.content.size, '\n', '');
}

/** Characters of text in a textblock's content before content offset `offset`. */
function inlineChars(block: PmNode, offset: number): number {
  let chars = 0;
  let pos = 0;
  for (let i = 0; i < block.childCount && pos < offset; i++) {
    const child = block.child(i);
    if (child.isText) chars += Math.min(child.nodeSize, offset - pos);
    pos += child.nodeSize;
  }
  return chars;
}

/** The plain-text offset of document position `pos` (a position between blocks maps to the end of the line before). */
export function offsetAt(doc: PmNode, pos: number): number {
  let chars = 0;
  let opened = 0;
  let node = doc;
  let start = 0;
  for (;;) {
    if (node.isTextblock) {
      chars += inlineChars(node, pos - start);
      break;
    }
    let childPos = start;
    let inside: PmNode | null = null;
    for (let i = 0; i < node.childCount; i++) {
      const child = node.child(i);
      const end = childPos + child.nodeSize;
      if (end <= pos) {
        const c = countsOf(child);
        chars += c.chars;
        opened += c.blocks;
        childPos = end;
        continue;
      }
      if (childPos < pos && !child.isLeaf) {
        if (child.isTextblock) opened++;
        inside = child;
      }
      break;
    }
    if (!inside) break;
    node = inside;
    start = childPos + 1;
  }
  return chars + Math.max(0, opened - 1);
}

/** The position inside a textblock (content starting at `start`) of its `chars`-th character. */
function inlinePos(block: PmNode, start: number, chars: number): number {
  let pos = start;
  let left = chars;
  for (let i = 0; i < block.childCount; i++) {
    const child = block.child(i);
    if (child.isText) {
      if (left <= child.nodeSize) return pos + left;
      left -= child.nodeSize;
    }
    pos += child.nodeSize;
  }
  return pos;
}

/**
 * The document position of plain-text offset `offset` (clamped to the text), always inside a
 * textblock; the end of a line and the start of the next are told apart by the "\n" between them.
 */
export function posAt(doc: PmNode, offset: number): number {
  const k = Math.max(0, Math.min(offset, textLength(doc)));
  let node = doc;
  let start = 0;
  let acc = 0;
  let opened = 0;
  for (;;) {
    if (node.isTextblock) return inlinePos(node, start, k - acc);
    let childPos = start;
    let inside: PmNode | null = null;
    for (let i = 0; i < node.childCount; i++) {
      const child = node.child(i);
      const c = countsOf(child);
      if (c.blocks > 0) {
        const sep = opened > 0 ? 1 : 0;
        const span = sep + c.chars + c.blocks - 1;
        if (k <= acc + span) {
          if (child.isTextblock) {
            acc += sep;
            opened++;
          }
          inside = child;
          break;
        }
        acc += span;
        opened += c.blocks;
      }
      childPos += child.nodeSize;
    }
    if (!inside) return childPos;
    node = inside;
    start = childPos + 1;
  }
}

/** The first textblock's position in `doc` (the only one with no "\n" before it), or -1. */
function firstTextblockPos(doc: PmNode): number {
  let found = -1;
  doc.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.isTextblock) {
      found = pos;
      return false;
    }
    return true;
  });
  return found;
}

/** The plain text between document positions `from` and `to` (the "\n" before a block opening inside counts). */
export function rangeText(doc: PmNode, from: number, to: number): string {
  if (to <= from) return '';
  const first = firstTextblockPos(doc);
  let out = '';
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isTextblock) return true;
    if (pos >= from && pos !== first) out += '\n';
    const start = pos + 1;
    const a = Math.max(from, start) - start;
    const b = Math.min(to, pos + node.nodeSize - 1) - start;
    if (b > a) out += node.textBetween(a, b, undefined, '');
    return false;
  });
  return out;
}

/** One change to the plain text: offsets before it, as in the contract's Edit. */
export interface TextChange {
  from: number;
  to: number;
  insert: string;
}

/** Shrinks a replacement to the part that really changes (typing over the same letter is no change). */
function trim(change: TextChange, deleted: string): TextChange | null {
  let { from, to, insert } = change;
  let a = 0;
  const maxPrefix = Math.min(deleted.length, insert.length);
  while (a < maxPrefix && deleted.charCodeAt(a) === insert.charCodeAt(a)) a++;
  let b = 0;
  const maxSuffix = maxPrefix - a;
  while (b < maxSuffix && deleted.charCodeAt(deleted.length - 1 - b) === insert.charCodeAt(insert.length - 1 - b)) b++;
  // Never split a surrogate pair: the backend rejects lone surrogates.
  if (a > 0 && isHighSurrogate(insert.charCodeAt(a - 1))) a--;
  if (b > 0 && isLowSurrogate(insert.charCodeAt(insert.length - b))) b--;
  from += a;
  to -= b;
  insert = insert.slice(a, insert.length - b);
  if (from === to && insert === '') return null;
  return { from, to, insert };
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * The plain-text changes a transaction made, one per step that changed text, each in offsets of the
 * text before that step (so applying them in order to the old text gives the new one). Steps that only
 * change formatting or structure give none.
 */
export function transactionChanges(tr: Transaction): TextChange[] {
  const out: TextChange[] = [];
  for (let i = 0; i < tr.steps.length; i++) {
    const before = tr.docs[i]!;
    const after = i + 1 < tr.docs.length ? tr.docs[i + 1]! : tr.doc;
    const change = stepChange(tr.steps[i]!.getMap(), before, after);
    if (change) out.push(change);
  }
  return out;
}

interface MapLike {
  forEach(f: (oldStart: number, oldEnd: number, newStart: number, newEnd: number) => void): void;
}

/** The text change between `before` and `after` for one step whose map is `map`. */
export function stepChange(map: MapLike, before: PmNode, after: PmNode): TextChange | null {
  let lo = Infinity;
  let hi = -Infinity;
  let nlo = Infinity;
  let nhi = -Infinity;
  map.forEach((oldStart, oldEnd, newStart, newEnd) => {
    lo = Math.min(lo, oldStart);
    hi = Math.max(hi, oldEnd);
    nlo = Math.min(nlo, newStart);
    nhi = Math.max(nhi, newEnd);
  });
  if (lo === Infinity) return null;
  // Everything before `lo` is the same node structure in both versions, so its text is too.
  const from = offsetAt(before, lo);
  let deleted = rangeText(before, lo, hi);
  let insert = rangeText(after, nlo, nhi);
  // What follows is the same too, except for the "\n" before the first block after it when the
  // step removed (or created) every textblock before that block.
  const suffixBefore = textLength(before) - from - deleted.length;
  const suffixAfter = textLength(after) - from - insert.length;
  if (suffixBefore === suffixAfter + 1) deleted += '\n';
  else if (suffixAfter === suffixBefore + 1) insert += '\n';
  return trim({ from, to: from + deleted.length, insert }, deleted);
}

/** A document of plain paragraphs, one per line of `text` (the shape a .txt file or a `rich`-less load gets). */
export function docFromText(schema: Schema, text: string): PmNode {
  const paragraph = schema.nodes.paragraph!;
  const lines = text.split('\n').map((line) => paragraph.create(null, line ? schema.text(line) : null));
  return schema.topNodeType.create(null, lines);
}

/**
 * Replaces plain-text offsets `from`..`to` of `tr.doc` with `text` (which may hold "\n": each one
 * splits the block), keeping the surrounding blocks. Used to apply an edit made elsewhere (an
 * accepted suggestion, find/replace) so the text changes exactly as the edit says.
 */
export function replaceText(tr: Transaction, from: number, to: number, text: string): Transaction {
  const schema = tr.doc.type.schema;
  const a = posAt(tr.doc, from);
  const b = posAt(tr.doc, to);
  if (!text.includes('\n')) return text ? tr.insertText(text, a, b) : tr.delete(a, b);
  const paragraph = schema.nodes.paragraph!;
  const blocks = text.split('\n').map((line) => paragraph.create(null, line ? schema.text(line) : null));
  return tr.replace(a, b, new Slice(Fragment.from(blocks), 1, 1));
}

/**
 * Document positions of many plain-text offsets in one pass over the document (for colouring a long
 * document's spans: `posAt` per span would walk the top level once each). `offsets` must be ascending.
 */
export function positionsOf(doc: PmNode, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let lineStart = 0;
  doc.descendants((node, pos) => {
    if (i >= offsets.length) return false;
    if (!node.isTextblock) return true;
    const c = countsOf(node);
    while (i < offsets.length && offsets[i]! <= lineStart + c.chars) {
      out.push(inlinePos(node, pos + 1, Math.max(0, offsets[i]! - lineStart)));
      i++;
    }
    lineStart += c.chars + 1;
    return false;
  });
  const end = doc.content.size;
  while (out.length < offsets.length) out.push(end);
  return out;
}
