/**
 * Incremental parser for `text/event-stream` (the WHATWG server-sent events format) as spoken by
 * OpenAI-compatible servers. Feed it decoded text in arbitrary pieces; it returns complete events.
 * Written by hand instead of pulling in `eventsource-parser`: the subset we need is small, and the
 * hot path (one event per generated token) must stay allocation-light.
 */

/** One dispatched event. `data` joins multi-line `data:` fields with `\n`, per the spec. */
export interface SseEvent {
  /** The `event:` field, or `message` when absent. */
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventName = '';
  private lastId: string | undefined;
  /** True once any field line was seen for the current event (an empty `data:` still dispatches). */
  private hasData = false;

  /** Consumes `text` and returns the events it completed (possibly none). */
  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    const buf = this.buffer.length > 0 ? this.buffer + text : text;
    let start = 0;
    // CR-only and CRLF endings are legal but rare: track the next CR once instead of rescanning
    // the rest of the buffer per line (which would be quadratic in a large chunk).
    let cr = buf.indexOf('\r');
    for (;;) {
      const lf = buf.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buf.indexOf('\r', start);
      const nl = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (nl === -1) break;
      const isCr = nl === cr;
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
      if (isCr && nl === buf.length - 1) break;
      this.line(buf.slice(start, nl), out);
      start = isCr && buf.charCodeAt(nl + 1) === 10 ? nl + 2 : nl + 1;
    }
    this.buffer = start === 0 ? buf : buf.slice(start);
    return out;
  }

  /** Flushes an event left without its terminating blank line (a server that closed early). */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    // A lone trailing CR was held back in case an LF followed; at end of input it ends the line.
    const rest = this.buffer.endsWith('\r') ? this.buffer.slice(0, -1) : this.buffer;
    if (rest.length > 0) this.line(rest, out);
    this.buffer = '';
    this.dispatch(out);
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment, used as keep-alive */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'event':
        this.eventName = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      default:
        // `retry:` and unknown fields do not matter to a one-shot request.
        break;
    }
  }

  private dispatch(out: SseEvent[]): void {
    if (this.hasData) {
      const ev: SseEvent = {
        event: this.eventName || 'message',
        data: this.data.length === 1 ? this.data[0]! : this.data.join('\n'),
      };
      if (this.lastId !== undefined) ev.id = this.lastId;
      out.push(ev);
    }
    this.data = [];
    this.hasData = false;
    this.eventName = '';
  }
}
