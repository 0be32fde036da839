import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../core/common/file-limits';
import { importTitle, refuseBeforeReading, textImport } from './text-import';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('text import rules (shared by the CLI import and the Write view)', () => {
  it('refuses a binary file renamed .txt, as detection does', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(textImport('photo.txt', png)).toEqual({
      ok: false,
      reason: 'binary',
      message: 'photo.txt looks like a binary file, not text.',
    });
  });

  it('takes a title from a Markdown heading but not from a # line in plain text', () => {
    expect(textImport('notes.md', utf8('intro\n# The Title\nbody'))).toMatchObject({ ok: true, title: 'The Title' });
    expect(textImport('notes.txt', utf8('# not a heading\nbody'))).toMatchObject({ ok: true, title: 'notes' });
    expect(importTitle('dir/essay.markdown', 'no heading')).toBe('essay');
  });

  it('decodes UTF-16 and Latin-1 with the one decoder and normalises line ends', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'a\r\nb'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(textImport('w.txt', utf16)).toMatchObject({ ok: true, body: 'a\nb', encoding: 'utf-16le' });
    expect(textImport('l.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0d]))).toMatchObject({
      ok: true,
      body: 'café\n',
      encoding: 'latin1',
    });
  });

  it('refuses other file types and files over the limit before reading them', () => {
    expect(refuseBeforeReading('essay.docx', 10)).toMatchObject({ reason: 'unsupported_type' });
    expect(refuseBeforeReading('C:\\work\\big.md', MAX_FILE_BYTES + 1)).toEqual({
      ok: false,
      reason: 'too_large',
      message: 'big.md is larger than 20 MB.',
    });
    expect(refuseBeforeReading('README.MD', MAX_FILE_BYTES)).toBeNull();
  });
});
