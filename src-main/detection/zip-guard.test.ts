import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDeflateRaw } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { extractText } from './extract-text';
import { buildZip, docxEntries } from './test-data/zip-builder';
import { assertZipWithinLimits, DOCX_LIMITS } from './zip-guard';

const MB = 1024 * 1024;

/** Raw deflate of `mb` megabytes of zeros, made in 1 MB steps (never holding the whole input). */
async function deflatedZeros(mb: number): Promise<Buffer> {
  const d = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => d.on('end', r));
  const zeros = Buffer.alloc(MB);
  for (let i = 0; i < mb; i++) if (!d.write(zeros)) await new Promise((r) => d.once('drain', r));
  d.end();
  await done;
  return Buffer.concat(out);
}

const dir = tempDir();
const docx = (name: string, bytes: Buffer): string => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

describe('docx zip-bomb guard', () => {
  it('still reads a normal Word document', async () => {
    const p = docx('essay.docx', buildZip(docxEntries(['First paragraph.', 'Second one.'])));
    expect((await extractText(p)).text).toContain('Second one.');
  });

  it('refuses a bomb that declares its size, before inflating anything', async () => {
    const bomb = await deflatedZeros(150);
    expect(bomb.length).toBeLessThan(MB); // the defect: about 1 MB on disk
    const entries = [
      ...docxEntries(['Hello.']),
      { name: 'word/media/zero.bin', deflated: { data: bomb, size: 150 * MB } },
    ];
    const p = docx('bomb.docx', buildZip(entries));
    await expect(extractText(p)).rejects.toMatchObject({
      code: 'too_large',
      userMessage: expect.stringContaining('unpacks to more than 100 MB'),
    });
  });

  it('refuses a bomb that lies about its size, stopping at the limit', async () => {
    const bomb = await deflatedZeros(150);
    const entries = [
      ...docxEntries(['Hello.']),
      { name: 'word/document2.xml', deflated: { data: bomb, size: 150 * MB }, declaredSize: 1000 },
    ];
    const rss = process.memoryUsage().rss;
    await expect(assertZipWithinLimits(buildZip(entries))).rejects.toMatchObject({ reason: 'too_large' });
    // Inflated into a counter, not into memory.
    expect(process.memoryUsage().rss - rss).toBeLessThan(50 * MB);
    const p = docx('liar.docx', buildZip(entries));
    await expect(extractText(p)).rejects.toMatchObject({ code: 'too_large' });
  });

  it('refuses an archive with too many entries and calls a broken one damaged', async () => {
    const many = Array.from({ length: DOCX_LIMITS.maxEntries + 1 }, (_, i) => ({
      name: `f${i}`,
      data: Buffer.from('x'),
    }));
    await expect(extractText(docx('many.docx', buildZip(many)))).rejects.toMatchObject({
      code: 'too_large',
      userMessage: expect.stringContaining(`more than ${DOCX_LIMITS.maxEntries}`),
    });
    const good = buildZip(docxEntries(['Hello.']));
    const truncated = good.subarray(0, good.length - 10);
    await expect(extractText(docx('cut.docx', truncated))).rejects.toMatchObject({ code: 'corrupt_file' });
  });
});
