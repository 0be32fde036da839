/**
 * The edits the editor made and the server has not confirmed yet, in order. Typing bursts coalesce
 * into one edit (contiguous keystrokes within BURST_MS), anything else starts a new one, so typing
 * followed by a paste stays two events. A cut is held back until the next edit: if that edit pastes the
 * same text, the pair becomes a move (paste with `source`, then the cut) and the text keeps its authors.
 */
import type { Edit, EditOperation } from '../../../../src-main/authoring/common/contract';
import type { TextChange } from './plain-text';

/** Keystrokes closer than this (ms) and contiguous join one typing edit. */
export const BURST_MS = 1000;

/** Where the queue is kept between sessions (localStorage in the app, a Map in tests). */
export interface QueueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What survives a crash: the unconfirmed edits and the chain head they apply after. */
export interface SavedQueue {
  documentId: string;
  head: string;
  edits: Edit[];
}

const storageKey = (documentId: string): string => `palimpsest.unsaved.${documentId}`;

export class EditQueue {
  private edits: QueuedEdit[] = [];
  /** Edits [0, sending) are on their way to the server: never merged into again. */
  private sending = 0;
  /** Index of a trailing cut that may still turn into a move, or -1. */
  private heldCut = -1;

  constructor(
    readonly documentId: string,
    private readonly author: { id: string; kind: 'human' },
    private readonly storage: QueueStorage | null = null,
    /** The head the queued edits apply after; advanced as batches are confirmed. */
    public head = '',
  ) {}

  get length(): number {
    return this.edits.length;
  }

  /**
   * Records one text change made by the person at the keyboard; `deleted` is the text it removed
   * (needed for a cut, to recognise the paste that moves it).
   */
  push(
    change: TextChange & { deleted?: string },
    operation: EditOperation,
    at: number,
    source?: { from: number; to: number },
  ): void {
    const cut = this.heldCut >= 0 ? this.edits[this.heldCut]! : null;
    this.heldCut = -1;
    if (cut && operation === 'paste' && !source && change.from === change.to && change.insert === cut.deleted) {
      this.replaceCutWithMove(cut, change, at);
      this.save();
      return;
    }
    const last = this.edits.length > this.sending ? this.edits[this.edits.length - 1]! : null;
    if (last && !source && merge(last, change, operation, at)) {
      this.save();
      return;
    }
    const edit: QueuedEdit = {
      author: this.author.id,
      kind: this.author.kind,
      operation,
      from: change.from,
      to: change.to,
      insert: change.insert,
      at,
      lastAt: at,
    };
    if (source) edit.source = source;
    if (operation === 'cut') edit.deleted = change.deleted ?? '';
    this.edits.push(edit);
    if (operation === 'cut' && change.insert === '' && edit.deleted) this.heldCut = this.edits.length - 1;
    this.save();
  }

  /** Cut (a, b) then paste at p: recorded as paste at p (in the text before the cut) copying (a, b), then the cut. */
  private replaceCutWithMove(cut: QueuedEdit, change: TextChange, at: number): void {
    const n = change.insert.length;
    const a = cut.from;
    const b = cut.to;
    const c = change.from < a ? change.from : change.from + (b - a);
    const paste: QueuedEdit = {
      author: this.author.id,
      kind: this.author.kind,
      operation: 'paste',
      from: c,
      to: c,
      insert: change.insert,
      at,
      source: { from: a, to: b },
    };
    const shifted = c <= a ? { from: a + n, to: b + n } : { from: a, to: b };
    const index = this.edits.indexOf(cut);
    this.edits.splice(index, 1, paste, { ...cut, ...shifted });
  }

  /**
   * The edits to send now (all but a cut that may still become a move, unless `all`); call `confirm`
   * with the new head once the server applied them, or `fail` to send them again later.
   */
  take(all = false): Edit[] {
    const end = !all && this.heldCut >= 0 ? this.heldCut : this.edits.length;
    if (all) this.heldCut = -1;
    this.sending = end;
    return this.edits.slice(0, end).map(strip);
  }

  confirm(head: string): void {
    this.edits.splice(0, this.sending);
    if (this.heldCut >= 0) this.heldCut -= this.sending;
    this.sending = 0;
    this.head = head;
    this.save();
  }

  fail(): void {
    this.sending = 0;
  }

  /** Forgets everything (after a conflict reload). */
  clear(head: string): void {
    this.edits = [];
    this.sending = 0;
    this.heldCut = -1;
    this.head = head;
    this.storage?.removeItem(storageKey(this.documentId));
  }

  private save(): void {
    if (!this.storage) return;
    if (this.edits.length === 0) {
      this.storage.removeItem(storageKey(this.documentId));
      return;
    }
    const saved: SavedQueue = { documentId: this.documentId, head: this.head, edits: this.edits.map(strip) };
    try {
      this.storage.setItem(storageKey(this.documentId), JSON.stringify(saved));
    } catch {
      // Storage full: the edits are still sent from memory; only a crash before that would lose them.
    }
  }

  /** Edits a previous session left unsent for `documentId`, if any. */
  static restore(storage: QueueStorage, documentId: string): SavedQueue | null {
    const raw = storage.getItem(storageKey(documentId));
    if (!raw) return null;
    try {
      const saved = JSON.parse(raw) as SavedQueue;
      return saved.documentId === documentId && Array.isArray(saved.edits) ? saved : null;
    } catch {
      return null;
    }
  }

  static discard(storage: QueueStorage, documentId: string): void {
    storage.removeItem(storageKey(documentId));
  }
}

/** A queued edit; `deleted` (the cut text) and `lastAt` (the burst's latest keystroke) stay local. */
type QueuedEdit = Edit & { deleted?: string; lastAt?: number };

function strip(e: QueuedEdit): Edit {
  const { deleted: _deleted, lastAt: _lastAt, ...edit } = e;
  return edit;
}

/** Extends `last` with `change` when both are one typing (or deleting) burst; false if they are separate events. */
function merge(last: QueuedEdit, change: TextChange, operation: EditOperation, at: number): boolean {
  if (last.operation !== operation || at - (last.lastAt ?? last.at ?? 0) > BURST_MS) return false;
  if (operation === 'type' && change.from === change.to && change.from === last.from + last.insert.length) {
    last.insert += change.insert;
    last.lastAt = at;
    return true;
  }
  if (operation === 'delete' && change.insert === '' && last.insert === '') {
    if (change.to === last.from) {
      // Backspace: the range grows to the left.
      last.from = change.from;
      last.lastAt = at;
      return true;
    }
    if (change.from === last.from) {
      // Delete: the same offset again removes the characters after the previous ones.
      last.to += change.to - change.from;
      last.lastAt = at;
      return true;
    }
  }
  return false;
}
