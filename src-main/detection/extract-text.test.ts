import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, extractText, MAX_FILE_BYTES } from './extract-text';

const dir = mkdtempSync(path.join(tmpdir(), 'pal-extract-'));
const file = (name: string, data: string | Uint8Array): string => {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
};

describe('decodeText', () => {
  it('handles UTF-8, BOMs, UTF-16 and Latin-1', () => {
    expect(decodeText(Buffer.from('héllo wörld', 'utf8'))).toEqual({ text: 'héllo wörld', encoding: 'utf-8' });
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69])).text).toBe('hi');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hello there', 'utf16le')]);
    expect(decodeText(le)).toEqual({ text: 'hello there', encoding: 'utf-16le' });
    expect(decodeText(Buffer.from('hello there, no bom', 'utf16le')).encoding).toBe('utf-16le');
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toEqual({ text: 'café', encoding: 'latin1' });
  });

  it('rejects binary', () => {
    const bin = new Uint8Array(4096).map((_, i) => (i * 37) % 256);
    expect(() => decodeText(bin)).toThrow(expect.objectContaining({ code: 'binary_data' }));
  });
});

describe('extractText', () => {
  it('reads text and markdown files', async () => {
    expect((await extractText(file('a.txt', 'Plain text here.'))).text).toBe('Plain text here.');
    expect((await extractText(file('a.md', '# Title\n\nBody'))).format).toBe('markdown');
  });

  it('gives a clear error per bad file', async () => {
    await expect(extractText(file('x.exe', 'MZ'))).rejects.toMatchObject({ code: 'unsupported_file' });
    await expect(extractText(path.join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(extractText(file('empty.txt', '  \n'))).rejects.toMatchObject({ code: 'empty_text' });
    await expect(extractText(file('bad.docx', 'this is not a zip'))).rejects.toMatchObject({ code: 'corrupt_file' });
    await expect(
      extractText(file('bad2.docx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 7)]))),
    ).rejects.toMatchObject({ code: 'corrupt_file' });
    await expect(extractText(file('bad.pdf', '%PDF-1.4 garbage garbage'))).rejects.toMatchObject({
      code: 'corrupt_file',
    });
    await expect(extractText(file('notpdf.pdf', 'hello'))).rejects.toMatchObject({ code: 'corrupt_file' });
    await expect(extractText(file('big.txt', Buffer.alloc(MAX_FILE_BYTES + 1, 97)))).rejects.toMatchObject({
      code: 'too_large',
    });
    await expect(
      extractText(
        file(
          'bin.txt',
          new Uint8Array(2048).map((_, i) => i % 256),
        ),
      ),
    ).rejects.toMatchObject({ code: 'binary_data' });
  });
});
