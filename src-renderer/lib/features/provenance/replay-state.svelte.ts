import { api, errorMessage } from '../../api/client';
import { authorColors, NO_COLORS } from '../../../../src-main/authorship/common/author-colors';
import { Replay, ReplayError, replayTimes, stepAtTime, type ReplayFrame, type TimelineEvent } from './replay';

/** The speeds offered; 1× replays the real pauses (each cut to MAX_REPLAY_GAP_MS). */
export const SPEEDS = [1, 10, 100] as const;
export type Speed = (typeof SPEEDS)[number];

/**
 * The timeline replay of one document: a scrubber position (`step`, events applied), the text at
 * that moment and play/pause on a replay clock at 1×–100×. The log is fetched once per `load`.
 */
export class ReplayState {
  private replay = $state.raw<Replay | null>(null);
  events = $state.raw<readonly TimelineEvent[]>([]);
  step = $state(0);
  playing = $state(false);
  speed = $state<Speed>(10);
  colors = $state.raw<ReadonlyMap<string, string>>(NO_COLORS);
  loading = $state(false);
  error = $state<string | null>(null);

  /** The event that produced the current step's text (null at step 0). */
  current = $derived(this.step > 0 ? (this.events[this.step - 1] ?? null) : null);
  /** Characters per author over time, for the chart. */
  samples = $derived(this.replay?.samples ?? []);
  frame = $derived.by((): ReplayFrame => this.replay?.frame(this.step) ?? { step: 0, text: '', runs: [] });

  private times: number[] = [];
  private clock = 0;
  private raf = 0;
  private lastTick = 0;
  private loadSeq = 0;

  async load(documentId: string): Promise<void> {
    const seq = ++this.loadSeq;
    this.pause();
    this.loading = true;
    try {
      const [timeline, authors] = await Promise.all([
        api.authoring.timeline.query({ documentId }),
        api.llm.authors.query().catch(() => []),
      ]);
      if (seq !== this.loadSeq) return;
      const known: Record<string, string> = Object.fromEntries(authors.map((a) => [a.id, a.color]));
      // In order of first appearance (authorColors keeps the first of each), so colours stay put as authors join.
      this.colors = authorColors(timeline.events.map((e) => ({ authorId: e.authorId, color: known[e.authorId] })));
      try {
        this.replay = new Replay(timeline.events);
        this.error = null;
      } catch (e) {
        this.replay = null;
        this.error = e instanceof ReplayError ? `The timeline does not replay: ${e.message}` : String(e);
      }
      this.events = timeline.events;
      this.times = replayTimes(timeline.events);
      this.step = timeline.events.length;
    } catch (e) {
      if (seq === this.loadSeq) this.error = errorMessage(e);
    } finally {
      if (seq === this.loadSeq) this.loading = false;
    }
  }

  /** Moves the scrubber (pausing playback when `pause`). */
  seek(step: number, pause = true): void {
    if (pause) this.pause();
    this.step = Math.max(0, Math.min(this.events.length, Math.round(step)));
    this.clock = this.step > 0 ? (this.times[this.step - 1] ?? 0) : -1;
  }

  /** Plays from the scrubber (from the start when it is at the end). */
  play(): void {
    if (this.playing || !this.replay || this.events.length === 0) return;
    if (this.step >= this.events.length) this.seek(0, false);
    else this.seek(this.step, false);
    this.playing = true;
    this.lastTick = performance.now();
    const tick = (now: number) => {
      if (!this.playing) return;
      this.clock += (now - this.lastTick) * this.speed;
      this.lastTick = now;
      this.step = Math.min(this.events.length, stepAtTime(this.times, this.clock));
      if (this.step >= this.events.length) this.playing = false;
      else this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.raf);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  dispose(): void {
    this.pause();
    this.loadSeq++;
  }
}
