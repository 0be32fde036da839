import { describe, expect, it } from 'vitest';
import { CHECKPOINT_EVERY, Replay, ReplayError, replayTimes, stepAtTime, type TimelineEvent } from './replay';

/** A deterministic PRNG, so a failure replays the same way. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const AUTHORS = ['human:me', 'model_a', 'model_b'];
const ALPHABET = 'abc de\n\t😀é';

/** Random edits in range of the evolving text (the `deleted` field filled as the core does). */
function randomEvents(n: number, seed: number): TimelineEvent[] {
  const r = rng(seed);
  let text = '';
  const out: TimelineEvent[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor(r() * (text.length + 1));
    const to = r() < 0.6 ? from : Math.min(text.length, from + Math.floor(r() * 12));
    const len = r() < 0.2 ? 0 : 1 + Math.floor(r() * (r() < 0.1 ? 60 : 4));
    let insert = '';
    for (let c = 0; c < len; c++) insert += [...ALPHABET][Math.floor(r() * [...ALPHABET].length)];
    const authorId = AUTHORS[Math.floor(r() * AUTHORS.length)]!;
    out.push({
      seq: k + 1,
      at: 1_000 + k * 37,
      authorId,
      author: authorId,
      kind: authorId === 'human:me' ? 'human' : 'model',
      operation: insert ? 'type' : 'delete',
      from,
      to,
      insert,
      deleted: text.slice(from, to),
    });
    text = text.slice(0, from) + insert + text.slice(to);
  }
  return out;
}

/** The independent reference: one author per UTF-16 unit, rebuilt by plain array splicing. */
function reference(events: readonly TimelineEvent[], k: number): { text: string; owners: string[] } {
  let text = '';
  const owners: string[] = [];
  for (const e of events.slice(0, k)) {
    text = text.slice(0, e.from) + e.insert + text.slice(e.to);
    owners.splice(e.from, e.to - e.from, ...Array.from({ length: e.insert.length }, () => e.authorId));
  }
  return { text, owners };
}

function ownersOf(frame: ReturnType<Replay['frame']>): string[] {
  const out: string[] = [];
  for (const run of frame.runs) for (let c = run.start; c < run.end; c++) out.push(run.authorId);
  return out;
}

describe('Replay', () => {
  it('reproduces the text and every character’s author at any step of 10,000 random edits', () => {
    const events = randomEvents(10_000, 7);
    const replay = new Replay(events);
    // Forward play, backward scrubbing, jumps across checkpoints and the two ends.
    const steps = [0, 1, 2, 499, 500, 501, 1_234, 1_235, 1_300, 999, 5_000, 4_999, 9_999, 10_000, 3, 7_777];
    for (const k of steps) {
      const frame = replay.frame(k);
      const ref = reference(events, k);
      expect(frame.step).toBe(k);
      expect(frame.text).toBe(ref.text);
      expect(ownersOf(frame)).toEqual(ref.owners);
    }
  });

  it('keeps runs maximal: neighbouring runs never share an author', () => {
    const replay = new Replay(randomEvents(2_000, 3));
    const { runs } = replay.frame(2_000);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]!.authorId).not.toBe(runs[i - 1]!.authorId);
      expect(runs[i]!.start).toBe(runs[i - 1]!.end);
    }
  });

  it('scrubs anywhere in a 10,000-event log in well under a frame’s budget of replay work', () => {
    const events = randomEvents(10_000, 11);
    const replay = new Replay(events);
    const t0 = performance.now();
    for (let k = 0; k <= 10_000; k += 997) replay.frame(10_000 - k);
    const perScrub = (performance.now() - t0) / 11;
    expect(perScrub).toBeLessThan(50);
    expect(CHECKPOINT_EVERY).toBeLessThanOrEqual(500);
  });

  it('counts characters per author after each sampled event', () => {
    const events = randomEvents(3_000, 5);
    const replay = new Replay(events, 100);
    expect(replay.samples.length).toBeLessThanOrEqual(102);
    expect(replay.samples.at(-1)!.step).toBe(3_000);
    for (const s of [replay.samples[1]!, replay.samples[40]!, replay.samples.at(-1)!]) {
      const { owners } = reference(events, s.step);
      for (const a of AUTHORS) expect(s.counts[a] ?? 0).toBe(owners.filter((o) => o === a).length);
    }
  });

  it('a model edit inside human text splits the human run', () => {
    const ev = (seq: number, authorId: string, from: number, to: number, insert: string): TimelineEvent => ({
      seq,
      at: seq,
      authorId,
      author: authorId,
      kind: 'human',
      operation: 'type',
      from,
      to,
      insert,
      deleted: '',
    });
    const replay = new Replay([ev(1, 'h', 0, 0, 'Hello world'), ev(2, 'm', 5, 5, ' there'), ev(3, 'h', 0, 0, '>')]);
    expect(replay.frame(3)).toEqual({
      step: 3,
      text: '>Hello there world',
      runs: [
        { start: 0, end: 6, authorId: 'h' },
        { start: 6, end: 12, authorId: 'm' },
        { start: 12, end: 18, authorId: 'h' },
      ],
    });
  });

  it('refuses an event that does not fit the text, naming it', () => {
    const events = randomEvents(20, 1);
    const bad = { ...events[10]!, from: 10_000, to: 10_001 };
    expect(() => new Replay([...events.slice(0, 10), bad])).toThrow(ReplayError);
    expect(() => new Replay([...events.slice(0, 10), bad])).toThrow(/Event 11 /);
    const wrongDeleted = events.findIndex((e) => e.deleted.length > 0);
    const tampered = events.map((e, i) => (i === wrongDeleted ? { ...e, deleted: 'X'.repeat(e.deleted.length) } : e));
    expect(() => new Replay(tampered)).toThrow(new RegExp(`Event ${wrongDeleted + 1} deletes`));
  });
});

describe('replay clock', () => {
  it('keeps real gaps and cuts long pauses', () => {
    const times = replayTimes(
      [{ at: 100 }, { at: 150 }, { at: 10_000_000 }, { at: 10_000_300 }, { at: 10_000_200 }],
      2_000,
    );
    expect(times).toEqual([0, 50, 2_050, 2_350, 2_350]);
  });

  it('finds how many events happened by a replay time', () => {
    const times = [0, 50, 2_050, 2_350, 2_350];
    expect(stepAtTime(times, -1)).toBe(0);
    expect(stepAtTime(times, 0)).toBe(1);
    expect(stepAtTime(times, 49)).toBe(1);
    expect(stepAtTime(times, 50)).toBe(2);
    expect(stepAtTime(times, 2_350)).toBe(5);
    expect(stepAtTime(times, 1e9)).toBe(5);
  });
});

describe('internal paste', () => {
  it('keeps the source characters’ authors when the timeline says where they came from', () => {
    const base = { kind: 'human' as const, operation: 'type', deleted: '' };
    const events: TimelineEvent[] = [
      { ...base, seq: 1, at: 1, authorId: 'h', author: 'Me', from: 0, to: 0, insert: 'Hi. ' },
      { ...base, seq: 2, at: 2, authorId: 'm', author: 'M', kind: 'model', from: 4, to: 4, insert: 'Yes.' },
      // Copy "i. Ye" (h, h, h, m, m) to the end.
      {
        ...base,
        seq: 3,
        at: 3,
        authorId: 'h',
        author: 'Me',
        operation: 'paste',
        from: 8,
        to: 8,
        insert: 'i. Ye',
        source: { from: 1, to: 6 },
      },
    ];
    const replay = new Replay(events);
    const frame = replay.frame(3);
    expect(frame.text).toBe('Hi. Yes.i. Ye');
    expect(ownersOf(frame).join('')).toBe('hhhhmmmmhhhmm');
    expect(replay.samples.at(-1)!.counts).toEqual({ h: 7, m: 6 });
  });
});

describe('undo and redo', () => {
  const ev = (
    seq: number,
    authorId: string,
    kind: 'human' | 'model',
    operation: string,
    from: number,
    to: number,
    insert: string,
    deleted = '',
  ): TimelineEvent => ({ seq, at: seq, authorId, author: authorId, kind, operation, from, to, insert, deleted });

  it('an undo putting back deleted model text shows the model as its author at that step', () => {
    const events = [
      ev(1, 'h', 'human', 'type', 0, 0, 'Hello'),
      ev(2, 'm', 'model', 'continue', 5, 5, ' world'),
      ev(3, 'h', 'human', 'delete', 5, 11, '', ' world'),
      ev(4, 'h', 'human', 'undo', 5, 5, ' world'),
      ev(5, 'h', 'human', 'redo', 5, 11, '', ' world'),
      ev(6, 'h', 'human', 'undo', 5, 5, ' world'),
    ];
    const replay = new Replay(events);
    const modelAgain = {
      text: 'Hello world',
      runs: [
        { start: 0, end: 5, authorId: 'h' },
        { start: 5, end: 11, authorId: 'm' },
      ],
    };
    expect(replay.frame(4)).toEqual({ step: 4, ...modelAgain });
    expect(replay.frame(3)).toEqual({ step: 3, text: 'Hello', runs: [{ start: 0, end: 5, authorId: 'h' }] });
    expect(replay.frame(6)).toEqual({ step: 6, ...modelAgain });
    expect(replay.samples.at(-1)!.counts).toEqual({ h: 5, m: 6 });
  });

  it('remembers removed text across checkpoints, scrubbing back and forth', () => {
    const typing = Array.from({ length: CHECKPOINT_EVERY + 100 }, (_, i) =>
      ev(i + 4, 'h', 'human', 'type', 5 + i, 5 + i, 'x'),
    );
    const n = typing.length + 4;
    const events = [
      ev(1, 'h', 'human', 'type', 0, 0, 'Hello'),
      ev(2, 'm', 'model', 'continue', 5, 5, ' world'),
      ev(3, 'h', 'human', 'delete', 5, 11, '', ' world'),
      ...typing,
      ev(n, 'h', 'human', 'undo', 5, 5, ' world'),
    ];
    const replay = new Replay(events);
    for (const k of [0, n, CHECKPOINT_EVERY + 3, n - 1, n]) replay.frame(k);
    expect(replay.frame(n).runs).toEqual([
      { start: 0, end: 5, authorId: 'h' },
      { start: 5, end: 11, authorId: 'm' },
      { start: 11, end: 11 + typing.length, authorId: 'h' },
    ]);
  });
});
