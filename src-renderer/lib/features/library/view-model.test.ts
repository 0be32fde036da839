import { describe, expect, it } from 'vitest';
import { LIBRARY_MAX_FILE_BYTES } from '../../../../src-main/library/common/file-kinds';
import { libraryKind, MAX_UPLOAD_BATCH_BYTES, planUploads } from './files';
import { markRange, markTerms, queryTerms, stem } from './highlight';
import { formatTags, parseTags } from './tags';

const joined = (pieces: Array<{ text: string }>) => pieces.map((p) => p.text).join('');
const marked = (pieces: Array<{ text: string; mark: boolean }>) => pieces.filter((p) => p.mark).map((p) => p.text);

describe('query terms marked in a passage', () => {
  it('marks inflected forms of the query words, not stopwords, and keeps the text exact', () => {
    const text = 'Participants were sampled at random; the sampling frame listed every participant.';
    const pieces = markTerms(text, queryTerms('How were the participants sampled?'));
    expect(joined(pieces)).toBe(text);
    expect(marked(pieces)).toEqual(['Participants', 'sampled', 'sampling', 'participant']);
  });

  it('marks nothing for an empty or stopword-only query', () => {
    expect(queryTerms('the of and')).toEqual([]);
    expect(markTerms('The text.', [])).toEqual([{ text: 'The text.', mark: false }]);
  });

  it('stems only words long enough to keep a stem', () => {
    expect(stem('Sampling')).toBe('sampl');
    expect(stem('is')).toBe('is');
    expect(stem('tariffs')).toBe('tariff');
  });

  it('handles non-Latin letters and digits', () => {
    const pieces = markTerms('Die Größe von 2024 und größer, 2023', queryTerms('größe 2024'));
    expect(marked(pieces)).toEqual(['Größe', '2024', 'größer']);
  });
});

describe('a passage marked in its source', () => {
  it('marks exactly [start, end) and keeps the text', () => {
    const text = 'aaa PASSAGE bbb';
    const pieces = markRange(text, 4, 11);
    expect(pieces).toEqual([
      { text: 'aaa ', mark: false },
      { text: 'PASSAGE', mark: true },
      { text: ' bbb', mark: false },
    ]);
  });

  it('clamps ranges that fall outside the text (a page that cuts the passage)', () => {
    expect(marked(markRange('page text', -5, 4))).toEqual(['page']);
    expect(marked(markRange('page text', 5, 500))).toEqual(['text']);
    expect(marked(markRange('page text', 50, 60))).toEqual([]);
    expect(joined(markRange('page text', 50, 60))).toBe('page text');
  });
});

describe('uploads', () => {
  const f = (name: string, size = 10) => ({ name, size });

  it('knows the library kinds by extension, case-insensitively', () => {
    expect(libraryKind('Paper.PDF')).toBe('pdf');
    expect(libraryKind('notes.md')).toBe('markdown');
    expect(libraryKind('scan.jpeg')).toBe('image');
    expect(libraryKind('page.htm')).toBe('html');
    expect(libraryKind('archive.zip')).toBeNull();
    expect(libraryKind('README')).toBeNull();
    expect(libraryKind('.md')).toBeNull();
  });

  it('refuses unknown, empty and oversized files with a reason and skips hidden ones', () => {
    const plan = planUploads([
      f('a.txt'),
      f('b.zip'),
      f('c.md', 0),
      f('d.pdf', MAX_UPLOAD_BATCH_BYTES + 1),
      f('e.pdf', LIBRARY_MAX_FILE_BYTES + 1),
      f('dir/.DS_Store'),
    ]);
    expect(plan.batches).toEqual([[f('a.txt')]]);
    expect(plan.refused.map((r) => r.name)).toEqual(['b.zip', 'c.md', 'd.pdf', 'e.pdf']);
    expect(plan.refused[2]!.error).toMatch(/Larger than 20 MB.*add it by path/);
    expect(plan.refused[3]!.error).toMatch(/Larger than 50 MB\.$/);
  });

  it('packs files into batches under the request limit, in order', () => {
    const big = MAX_UPLOAD_BATCH_BYTES / 2 + 1;
    const plan = planUploads([f('1.pdf', big), f('2.pdf', big), f('3.txt'), f('4.pdf', big)]);
    expect(plan.batches.map((b) => b.map((x) => x.name))).toEqual([['1.pdf'], ['2.pdf', '3.txt'], ['4.pdf']]);
    for (const b of plan.batches) expect(b.reduce((n, x) => n + x.size, 0)).toBeLessThanOrEqual(MAX_UPLOAD_BATCH_BYTES);
  });
});

describe('tags', () => {
  it('parses a comma-separated field into distinct trimmed tags', () => {
    expect(parseTags(' methods,  ch2 ,methods,, field   notes ')).toEqual(['methods', 'ch2', 'field notes']);
    expect(parseTags('')).toEqual([]);
    expect(formatTags(['a', 'b'])).toBe('a, b');
  });

  it('bounds the number and length of tags', () => {
    expect(parseTags(Array.from({ length: 150 }, (_, i) => `t${i}`).join(','))).toHaveLength(100);
    expect(parseTags('x'.repeat(500))[0]).toHaveLength(200);
  });
});
