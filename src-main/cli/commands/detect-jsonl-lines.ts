/**
 * Lines of a JSONL stream with bounded memory: a line longer than the limit is counted and skipped
 * as it streams, never held whole (readline would buffer a 10 MB line before anyone could refuse it).
 */

export interface JsonlLine {
  /** 1-based line number in the input. */
  lineNo: number;
  /** The line without its line end; null when it was longer than the limit (its bytes were dropped). */
  text: string | null;
  /** Bytes the line took, line end included (for progress). */
  bytes: number;
}

/**
 * Splits a byte stream on \n (a \r before it is dropped) and decodes each line as UTF-8.
 * @param maxLineBytes longest line kept; a longer one comes back with `text: null`.
 */
export async function* jsonlLines(input: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<JsonlLine> {
  let parts: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  let tooLong = false;
  let lineNo = 0;
  const take = (seg: Buffer): void => {
    bytes += seg.length;
    if (tooLong) return;
    if (kept + seg.length > maxLineBytes) {
      tooLong = true;
      parts = [];
      kept = 0;
      return;
    }
    // A copy: a slice would keep the whole read chunk alive while the line waits for its end.
    if (seg.length > 0) parts.push(Buffer.from(seg));
    kept += seg.length;
  };
  const end = (lineEnd: number): JsonlLine => {
    lineNo++;
    let text: string | null = null;
    if (!tooLong) {
      text = Buffer.concat(parts, kept).toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
    }
    const line = { lineNo, text, bytes: bytes + lineEnd };
    parts = [];
    kept = 0;
    bytes = 0;
    tooLong = false;
    return line;
  };
  for await (const chunk of input) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      take(chunk.subarray(start, nl));
      yield end(1);
      start = nl + 1;
    }
    if (start < chunk.length) take(chunk.subarray(start));
  }
  if (bytes > 0) yield end(0);
}
