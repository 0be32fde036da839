import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonlLines, type JsonlLine } from './detect-jsonl-lines';

async function collect(chunks: Buffer[], max: number): Promise<JsonlLine[]> {
  const out: JsonlLine[] = [];
  for await (const l of jsonlLines(Readable.from(chunks), max)) out.push(l);
  return out;
}

describe('jsonlLines', () => {
  it('splits across chunk boundaries, drops \\r before \\n and keeps a last line without a line end', async () => {
    const bytes = Buffer.from('{"a":1}\r\n{"b":"é漢"}\n\n{"c":3}', 'utf8');
    // One byte per chunk: every boundary, including inside multi-byte characters.
    const lines = await collect(
      [...bytes].map((b) => Buffer.from([b])),
      100,
    );
    expect(lines.map((l) => l.text)).toEqual(['{"a":1}', '{"b":"é漢"}', '', '{"c":3}']);
    expect(lines.map((l) => l.lineNo)).toEqual([1, 2, 3, 4]);
    expect(lines.reduce((n, l) => n + l.bytes, 0)).toBe(bytes.length);
  });

  it('refuses an over-long line without holding it, and carries on', async () => {
    const big = Buffer.alloc(64 * 1024, 0x61);
    // A 6.4 MB line in 64 KB chunks, then a normal one.
    const chunks = [...Array.from({ length: 100 }, () => big), Buffer.from('\nshort\n')];
    let held = 0;
    let maxHeld = 0;
    const input = (async function* () {
      for (const c of chunks) {
        yield c;
        // Buffer memory while the long line streams stays far below its size.
        held = process.memoryUsage().arrayBuffers;
        maxHeld = Math.max(maxHeld, held);
      }
    })();
    const before = process.memoryUsage().arrayBuffers;
    const out: JsonlLine[] = [];
    for await (const l of jsonlLines(input, 1024)) out.push(l);
    expect(out).toEqual([
      { lineNo: 1, text: null, bytes: 100 * big.length + 1 },
      { lineNo: 2, text: 'short', bytes: 6 },
    ]);
    expect(maxHeld - before).toBeLessThan(3 * 1024 * 1024);
  });

  it('keeps a line of exactly the limit', async () => {
    const lines = await collect([Buffer.from('abcd\nabcde\n')], 4);
    expect(lines.map((l) => l.text)).toEqual(['abcd', null]);
  });
});
