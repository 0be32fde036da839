/**
 * The document's text as runs of characters that share one attribution (author, kind, operation),
 * kept in blocks so an edit costs O(blocks + runs in a block), not O(text): replaying 100,000 events
 * never rebuilds the whole string. Pure TypeScript: the editor can replay a bundle with it too.
 */
import type { AuthorKind } from '../../authorship/common';

/** Who produced a character and how. Interned by the table: equal attributions are one object. */
export interface CharAttr {
  readonly authorId: string;
  readonly kind: AuthorKind;
  /** An EditOperation, 'edited-after-llm', or an older event's operation name. */
  readonly operation: string;
}

/** A piece of text with one attribution. */
export interface AttributedRun {
  text: string;
  attr: CharAttr;
}

/** Runs per block before it is split in two. */
const BLOCK_MAX = 128;
/**
 * Longest run made by merging: splitting and re-joining one huge run on every keystroke would copy
 * the whole text each time (V8 flattens a joined string when it is next sliced).
 */
const RUN_MERGE_MAX = 512;

export class SpanTable {
  private blocks: AttributedRun[][] = [[]];
  private lens: number[] = [0];
  private total = 0;
  private readonly interned = new Map<string, CharAttr>();

  /** Length in UTF-16 code units. */
  get length(): number {
    return this.total;
  }

  /** The one shared object for this attribution. */
  attr(authorId: string, kind: AuthorKind, operation: string): CharAttr {
    const key = `${authorId}\u0000${kind}\u0000${operation}`;
    let a = this.interned.get(key);
    if (!a) this.interned.set(key, (a = { authorId, kind, operation }));
    return a;
  }

  /** The attribution of the character at `pos` (0 ≤ pos < length). */
  attrAt(pos: number): CharAttr {
    let start = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const len = this.lens[b]!;
      if (pos < start + len) {
        for (const run of this.blocks[b]!) {
          if (pos < start + run.text.length) return run.attr;
          start += run.text.length;
        }
      }
      start += len;
    }
    throw new RangeError(`No character at ${pos} (length ${this.total}).`);
  }

  /** Copies of the runs covering [from, to), cut at the ends. */
  runsIn(from: number, to: number): AttributedRun[] {
    const out: AttributedRun[] = [];
    if (from >= to) return out;
    let start = 0;
    for (let b = 0; b < this.blocks.length && start < to; b++) {
      const len = this.lens[b]!;
      if (start + len <= from) {
        start += len;
        continue;
      }
      for (const run of this.blocks[b]!) {
        const end = start + run.text.length;
        if (end > from && start < to) {
          out.push({
            text: run.text.slice(Math.max(0, from - start), Math.min(run.text.length, to - start)),
            attr: run.attr,
          });
        }
        start = end;
        if (start >= to) break;
      }
    }
    return out;
  }

  /** The text [from, to). */
  slice(from: number, to: number): string {
    return this.runsIn(from, to)
      .map((r) => r.text)
      .join('');
  }

  /** The whole text. */
  text(): string {
    let s = '';
    for (const block of this.blocks) for (const run of block) s += run.text;
    return s;
  }

  /** Maximal runs of one attribution, in order (adjacent equal runs across blocks are joined). */
  spans(): Array<{ start: number; end: number; attr: CharAttr }> {
    const out: Array<{ start: number; end: number; attr: CharAttr }> = [];
    let pos = 0;
    for (const block of this.blocks) {
      for (const run of block) {
        const last = out[out.length - 1];
        if (last && last.attr === run.attr) last.end += run.text.length;
        else out.push({ start: pos, end: pos + run.text.length, attr: run.attr });
        pos += run.text.length;
      }
    }
    return out;
  }

  /**
   * An independent copy (for replay checkpoints): O(runs), no text is copied (strings are immutable)
   * and the interned attributions are shared, so `attr` identity holds across the copy.
   */
  clone(): SpanTable {
    const copy = new SpanTable();
    copy.blocks = this.blocks.map((block) => block.map((r) => ({ text: r.text, attr: r.attr })));
    copy.lens = this.lens.slice();
    copy.total = this.total;
    for (const [key, a] of this.interned) copy.interned.set(key, a);
    return copy;
  }

  /** Removes [from, to) and returns the removed runs. The caller checks the range. */
  delete(from: number, to: number): AttributedRun[] {
    if (from >= to) return [];
    const [bf, rf] = this.boundary(from);
    const [bt, rt] = this.boundary(to);
    const removed: AttributedRun[] = [];
    const take = (b: number, start: number, end: number) => {
      const block = this.blocks[b]!;
      const cut = block.splice(start, end - start);
      let n = 0;
      for (const r of cut) {
        removed.push(r);
        n += r.text.length;
      }
      this.lens[b]! -= n;
    };
    if (bf === bt) take(bf, rf, rt);
    else {
      take(bf, rf, this.blocks[bf]!.length);
      for (let b = bf + 1; b < bt; b++) take(b, 0, this.blocks[b]!.length);
      take(bt, 0, rt);
    }
    this.total -= to - from;
    this.dropEmptyBlocks();
    this.mergeAround(from);
    return removed;
  }

  /** Inserts `runs` at `pos` (0 ≤ pos ≤ length). */
  insert(pos: number, runs: readonly AttributedRun[]): void {
    const pieces = runs.filter((r) => r.text.length > 0);
    if (pieces.length === 0) return;
    const [b, r] = this.boundary(pos);
    const block = this.blocks[b]!;
    let n = 0;
    for (const p of pieces) n += p.text.length;
    // Copies: the table owns its runs and mutates them when merging.
    block.splice(r, 0, ...pieces.map((p) => ({ text: p.text, attr: p.attr })));
    this.lens[b]! += n;
    this.total += n;
    this.mergeAround(pos + n);
    this.mergeAround(pos);
    if (this.blocks[b]!.length > BLOCK_MAX) this.splitBlock(b);
  }

  /**
   * Makes a run boundary at `pos` and returns [block, run index] of the first run at or after it
   * (the index may be the block's length: the end of that block).
   */
  private boundary(pos: number): [number, number] {
    let start = 0;
    const last = this.blocks.length - 1;
    for (let b = 0; b <= last; b++) {
      const len = this.lens[b]!;
      if (pos > start + len && b < last) {
        start += len;
        continue;
      }
      const block = this.blocks[b]!;
      for (let i = 0; i < block.length; i++) {
        const run = block[i]!;
        if (pos === start) return [b, i];
        const end = start + run.text.length;
        if (pos < end) {
          const off = pos - start;
          block.splice(i + 1, 0, { text: run.text.slice(off), attr: run.attr });
          run.text = run.text.slice(0, off);
          return [b, i + 1];
        }
        start = end;
      }
      return [b, block.length];
    }
    return [last, this.blocks[last]!.length];
  }

  /** Joins the runs on either side of `pos` when they share an attribution (within one block). */
  private mergeAround(pos: number): void {
    if (pos <= 0 || pos >= this.total) return;
    const [b, i] = this.boundary(pos);
    const block = this.blocks[b]!;
    if (i === 0 || i >= block.length) return;
    const left = block[i - 1]!;
    const right = block[i]!;
    if (left.attr !== right.attr || left.text.length + right.text.length > RUN_MERGE_MAX) return;
    left.text += right.text;
    block.splice(i, 1);
  }

  private splitBlock(b: number): void {
    const block = this.blocks[b]!;
    const parts: AttributedRun[][] = [];
    for (let i = 0; i < block.length; i += BLOCK_MAX / 2) parts.push(block.slice(i, i + BLOCK_MAX / 2));
    this.blocks.splice(b, 1, ...parts);
    this.lens.splice(b, 1, ...parts.map((p) => p.reduce((n, r) => n + r.text.length, 0)));
  }

  private dropEmptyBlocks(): void {
    for (let b = this.blocks.length - 1; b >= 0 && this.blocks.length > 1; b--) {
      if (this.blocks[b]!.length === 0) {
        this.blocks.splice(b, 1);
        this.lens.splice(b, 1);
      }
    }
  }
}
