/**
 * Exact replay of a document's edit log for the timeline: the text and who wrote each character
 * after any number of events. Events are applied to the empty text in order (offsets are UTF-16
 * units into the text before each event, as in the authoring contract), so step k's text is exactly
 * what events 1..k produce. Checkpoints every CHECKPOINT_EVERY events make scrubbing anywhere in a
 * 10,000-event log cost at most that many event applications.
 */
import type { TimelineEvent as ContractTimelineEvent } from '../../../../src-main/authoring/common/contract';

/**
 * One event of `authoring.timeline`. `source`, when the timeline gives it, marks an internal paste:
 * the pasted characters keep the authors they had at `source` (as provenance does).
 */
export type TimelineEvent = ContractTimelineEvent & { source?: { from: number; to: number } | null };

/** A run of characters by one author in the replayed text. */
export interface AuthorRun {
  start: number;
  end: number;
  authorId: string;
}

/** The replayed document after some number of events. */
export interface ReplayFrame {
  /** Events applied (0 = the empty text before the first). */
  step: number;
  text: string;
  runs: AuthorRun[];
}

/** Thrown when an event does not fit the text it applies to (a damaged or foreign timeline). */
export class ReplayError extends Error {
  constructor(
    readonly seq: number,
    message: string,
  ) {
    super(message);
    this.name = 'ReplayError';
  }
}

export const CHECKPOINT_EVERY = 500;

/** The text as runs that each hold their characters, so an edit touches only the runs it overlaps. */
interface Piece {
  text: string;
  authorId: string;
}

function applyToPieces(pieces: Piece[], e: TimelineEvent, length: number): number {
  if (!(Number.isInteger(e.from) && Number.isInteger(e.to) && 0 <= e.from && e.from <= e.to && e.to <= length))
    throw new ReplayError(e.seq, `Event ${e.seq} edits ${e.from}–${e.to} of a text of ${length} characters.`);
  if (e.from === e.to && !e.insert) return length;
  // Pieces i..j-1 are cut: i is the first that ends after `from`, j the first from i on that starts at or
  // after `to` (an insert inside piece i splits it; one at a boundary cuts nothing).
  let i = 0;
  let start = 0;
  while (i < pieces.length && start + pieces[i]!.text.length <= e.from) start += pieces[i++]!.text.length;
  let j = i;
  let jStart = start;
  while (j < pieces.length && jStart < e.to) jStart += pieces[j++]!.text.length;
  const cut: Piece[] = [];
  if (j > i) {
    const first = pieces[i]!;
    if (start < e.from) cut.push({ text: first.text.slice(0, e.from - start), authorId: first.authorId });
  }
  cut.push(...inserted(pieces, e));
  if (j > i) {
    const last = pieces[j - 1]!;
    const lastStart = jStart - last.text.length;
    if (jStart > e.to) cut.push({ text: last.text.slice(e.to - lastStart), authorId: last.authorId });
  }
  if (e.deleted && removedText(pieces, i, j, start, e.from, e.to) !== e.deleted)
    throw new ReplayError(e.seq, `Event ${e.seq} deletes text that is not at ${e.from}–${e.to}.`);
  // Merge with the neighbours outside the cut too, so typing one character at a time stays one run.
  const lo = i > 0 ? i - 1 : i;
  const hi = j < pieces.length ? j + 1 : j;
  pieces.splice(lo, hi - lo, ...merge([...pieces.slice(lo, i), ...cut, ...pieces.slice(j, hi)]));
  return length - (e.to - e.from) + e.insert.length;
}

/** The inserted text as pieces: the event's author's, or for an internal paste the source's authors. */
function inserted(pieces: readonly Piece[], e: TimelineEvent): Piece[] {
  if (!e.insert) return [];
  const src = e.source;
  if (src && src.to - src.from === e.insert.length) {
    const out: Piece[] = [];
    let pos = 0;
    for (const p of pieces) {
      const end = pos + p.text.length;
      const lo = Math.max(pos, src.from);
      const hi = Math.min(end, src.to);
      if (hi > lo) out.push({ text: p.text.slice(lo - pos, hi - pos), authorId: p.authorId });
      if (end >= src.to) break;
      pos = end;
    }
    if (out.map((p) => p.text).join('') === e.insert) return out;
  }
  return [{ text: e.insert, authorId: e.authorId }];
}

function removedText(pieces: readonly Piece[], i: number, j: number, start: number, from: number, to: number): string {
  return pieces
    .slice(i, j)
    .map((p) => p.text)
    .join('')
    .slice(from - start, to - start);
}

function merge(list: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const x of list) {
    const last = out.at(-1);
    if (x.text.length === 0) continue;
    if (last && last.authorId === x.authorId) last.text += x.text;
    else out.push({ ...x });
  }
  return out;
}

function frameOf(step: number, pieces: readonly Piece[]): ReplayFrame {
  const runs: AuthorRun[] = [];
  let pos = 0;
  for (const p of pieces) {
    runs.push({ start: pos, end: pos + p.text.length, authorId: p.authorId });
    pos += p.text.length;
  }
  return { step, text: pieces.map((p) => p.text).join(''), runs };
}

/** Per-author character counts after an event, for the timeline chart. */
export interface CountSample {
  step: number;
  at: number;
  counts: Record<string, number>;
}

/**
 * A replayable timeline. Construction applies every event once (throwing ReplayError at the first
 * that does not fit), keeping checkpoints and per-author counts; `frame(k)` then rebuilds step k from
 * the nearest checkpoint at or before it, or from the last frame when that is closer (playing forward).
 */
export class Replay {
  readonly events: readonly TimelineEvent[];
  /** Per-author counts after each event, at most `maxSamples` of them (always the last). */
  readonly samples: CountSample[] = [];
  private readonly checkpoints: Piece[][] = [];
  private cursor: { step: number; pieces: Piece[]; length: number };

  constructor(events: readonly TimelineEvent[], maxSamples = 300) {
    this.events = events;
    const pieces: Piece[] = [];
    const counts: Record<string, number> = {};
    let length = 0;
    const every = Math.max(1, Math.ceil(events.length / maxSamples));
    this.checkpoints.push([]);
    this.samples.push({ step: 0, at: events[0]?.at ?? 0, counts: {} });
    events.forEach((e, k) => {
      const added = e.source ? inserted(pieces, e) : [{ text: e.insert, authorId: e.authorId }];
      countRemoved(pieces, e.from, e.to, counts);
      length = applyToPieces(pieces, e, length);
      for (const p of added) counts[p.authorId] = (counts[p.authorId] ?? 0) + p.text.length;
      const step = k + 1;
      if (step % CHECKPOINT_EVERY === 0) this.checkpoints.push(pieces.map((p) => ({ ...p })));
      if (step % every === 0 || step === events.length) this.samples.push({ step, at: e.at, counts: { ...counts } });
    });
    this.cursor = { step: events.length, pieces, length };
  }

  get length(): number {
    return this.events.length;
  }

  /** The text and author runs after `step` events (clamped to 0..length). */
  frame(step: number): ReplayFrame {
    const k = Math.max(0, Math.min(this.events.length, Math.trunc(step)));
    const base = Math.floor(k / CHECKPOINT_EVERY);
    if (!(this.cursor.step <= k && this.cursor.step >= base * CHECKPOINT_EVERY)) {
      const pieces = this.checkpoints[base]!.map((p) => ({ ...p }));
      this.cursor = { step: base * CHECKPOINT_EVERY, pieces, length: pieces.reduce((n, p) => n + p.text.length, 0) };
    }
    while (this.cursor.step < k) {
      const e = this.events[this.cursor.step]!;
      this.cursor.length = applyToPieces(this.cursor.pieces, e, this.cursor.length);
      this.cursor.step++;
    }
    return frameOf(k, this.cursor.pieces);
  }
}

function countRemoved(pieces: readonly Piece[], from: number, to: number, counts: Record<string, number>): void {
  if (to <= from) return;
  let pos = 0;
  for (const p of pieces) {
    const end = pos + p.text.length;
    const overlap = Math.min(end, to) - Math.max(pos, from);
    if (overlap > 0) counts[p.authorId] = (counts[p.authorId] ?? 0) - overlap;
    if (end >= to) break;
    pos = end;
  }
}

/** Longest pause replayed as it happened, in ms of the original timeline: longer ones are cut to this. */
export const MAX_REPLAY_GAP_MS = 2_000;

/**
 * When each event happens on the replay clock (ms from the first event): the real gaps between
 * events, each cut to `maxGap` so an overnight pause does not stall playback.
 */
export function replayTimes(events: readonly Pick<TimelineEvent, 'at'>[], maxGap = MAX_REPLAY_GAP_MS): number[] {
  const out: number[] = [];
  let t = 0;
  events.forEach((e, i) => {
    if (i > 0) t += Math.min(maxGap, Math.max(0, e.at - events[i - 1]!.at));
    out.push(t);
  });
  return out;
}

/** How many events have happened by replay time `t` (binary search in `times`, which ascend). */
export function stepAtTime(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
