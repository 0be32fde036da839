/**
 * Exact replay of a document's edit log for the timeline: the text and who wrote each character
 * after any number of events. Events are applied to the empty text in order (offsets are UTF-16
 * units into the text before each event, as in the authoring contract), so step k's text is exactly
 * what events 1..k produce. Attribution is the core's own replay (ProvenanceReplay: internal paste,
 * undo/redo giving removed text back its authors), so step `length` shows what provenance shows.
 * Checkpoints every CHECKPOINT_EVERY events make scrubbing anywhere in a 10,000-event log cost at
 * most that many event applications.
 */
import type { TimelineEvent as ContractTimelineEvent } from '../../../../src-main/authoring/common/contract';
import { ProvenanceReplay } from '../../../../src-main/authoring/common/replay';
import type { AttributedRun } from '../../../../src-main/authoring/common/span-table';

/**
 * One event of `authoring.timeline`. `source`, when given, marks an internal paste: the pasted
 * characters keep the authors they had at `source` (as provenance does).
 */
export type TimelineEvent = Omit<ContractTimelineEvent, 'source'> & { source?: ContractTimelineEvent['source'] };

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

/**
 * Throws ReplayError unless `e` can be replayed on `replay`'s text: its range is inside the text,
 * `deleted` is what is there, and a paste source is inside the text and holds the pasted text.
 */
function check(replay: ProvenanceReplay, e: TimelineEvent): void {
  const { table } = replay;
  const length = table.length;
  const inText = (from: number, to: number) =>
    Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= length;
  if (!inText(e.from, e.to))
    throw new ReplayError(e.seq, `Event ${e.seq} edits ${e.from}–${e.to} of a text of ${length} characters.`);
  if (table.slice(e.from, e.to) !== e.deleted)
    throw new ReplayError(e.seq, `Event ${e.seq} deletes text that is not at ${e.from}–${e.to}.`);
  const src = e.source;
  if (src && !(inText(src.from, src.to) && table.slice(src.from, src.to) === e.insert))
    throw new ReplayError(e.seq, `Event ${e.seq} pastes text that is not at its source ${src.from}–${src.to}.`);
}

/** Adds each run's length to its author's count (`sign` -1 to take it away). */
function count(runs: readonly AttributedRun[], counts: Record<string, number>, sign: number): void {
  for (const r of runs) counts[r.attr.authorId] = (counts[r.attr.authorId] ?? 0) + sign * r.text.length;
}

/** The frame of `replay`'s text: maximal runs by author (the table's spans also split by operation). */
function frameOf(step: number, replay: ProvenanceReplay): ReplayFrame {
  const runs: AuthorRun[] = [];
  for (const s of replay.table.spans()) {
    const last = runs.at(-1);
    if (last && last.authorId === s.attr.authorId) last.end = s.end;
    else runs.push({ start: s.start, end: s.end, authorId: s.attr.authorId });
  }
  return { step, text: replay.table.text(), runs };
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
 * a copy of the nearest checkpoint at or before it, or from the last frame when that is closer
 * (playing forward).
 */
export class Replay {
  readonly events: readonly TimelineEvent[];
  /** Per-author counts after each event, at most `maxSamples` of them (always the last). */
  readonly samples: CountSample[] = [];
  private readonly checkpoints: ProvenanceReplay[] = [];
  private cursor: { step: number; replay: ProvenanceReplay };

  constructor(events: readonly TimelineEvent[], maxSamples = 300) {
    this.events = events;
    const replay = new ProvenanceReplay();
    const counts: Record<string, number> = {};
    const every = Math.max(1, Math.ceil(events.length / maxSamples));
    this.checkpoints.push(replay.clone());
    this.samples.push({ step: 0, at: events[0]?.at ?? 0, counts: {} });
    events.forEach((e, k) => {
      check(replay, e);
      if (e.to > e.from) count(replay.table.runsIn(e.from, e.to), counts, -1);
      replay.apply(e);
      if (e.insert) count(replay.table.runsIn(e.from, e.from + e.insert.length), counts, 1);
      const step = k + 1;
      if (step % CHECKPOINT_EVERY === 0) this.checkpoints.push(replay.clone());
      if (step % every === 0 || step === events.length) this.samples.push({ step, at: e.at, counts: { ...counts } });
    });
    this.cursor = { step: events.length, replay };
  }

  get length(): number {
    return this.events.length;
  }

  /** The text and author runs after `step` events (clamped to 0..length). */
  frame(step: number): ReplayFrame {
    const k = Math.max(0, Math.min(this.events.length, Math.trunc(step)));
    const base = Math.floor(k / CHECKPOINT_EVERY);
    if (!(this.cursor.step <= k && this.cursor.step >= base * CHECKPOINT_EVERY)) {
      this.cursor = { step: base * CHECKPOINT_EVERY, replay: this.checkpoints[base]!.clone() };
    }
    // Every event was checked when the replay was built.
    while (this.cursor.step < k) this.cursor.replay.apply(this.events[this.cursor.step++]!);
    return frameOf(k, this.cursor.replay);
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
