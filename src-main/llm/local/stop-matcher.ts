/**
 * Finds stop sequences in streamed text. Text that might be the start of a stop sequence is held
 * back until the next chunk settles it, so a stop string is never streamed and then retracted.
 */
export class StopMatcher {
  private held = '';
  private readonly stops: string[];

  constructor(stops: readonly string[] = []) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  /**
   * Adds generated text.
   * @returns `emit`: text that is safe to stream now; `stopped`: a stop sequence was found (the
   * stop string and everything after it are dropped, and later calls emit nothing).
   */
  push(text: string): { emit: string; stopped: boolean } {
    if (this.stops.length === 0) return { emit: text, stopped: false };
    const buffer = this.held + text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = buffer.indexOf(stop);
      if (at !== -1 && (cut === -1 || at < cut)) cut = at;
    }
    if (cut !== -1) {
      this.held = '';
      return { emit: buffer.slice(0, cut), stopped: true };
    }
    const keep = this.partialSuffixLength(buffer);
    this.held = buffer.slice(buffer.length - keep);
    return { emit: buffer.slice(0, buffer.length - keep), stopped: false };
  }

  /** Releases held-back text at the end of generation (it did not turn into a stop sequence). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of some stop sequence. */
  private partialSuffixLength(buffer: string): number {
    let best = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, buffer.length); n > best; n--) {
        if (buffer.endsWith(stop.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
