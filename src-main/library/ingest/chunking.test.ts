import { describe, expect, it } from 'vitest';
import { paragraphsOf, type Block } from './blocks';
import { chunkBlocks, MAX_CHUNK_WORDS } from './chunking';
import { htmlBlocks } from './extract-html';
import { markdownBlocks } from './extract-markdown';

const sentence = (i: number) => `Sentence number ${i} talks about the topic at some length here.`;

describe('chunkBlocks', () => {
  it('starts a chunk at each heading, keeps the heading path and points offsets into the text', () => {
    const blocks = markdownBlocks('# A\n\nIntro text.\n\n## B\n\nFirst under B.\n\nSecond under B.\n\n# C\n\nUnder C.');
    const { text, chunks } = chunkBlocks(blocks, null);
    expect(chunks.map((c) => [c.heading, c.text])).toEqual([
      ['A', 'Intro text.'],
      ['A › B', 'First under B.\n\nSecond under B.'],
      ['C', 'Under C.'],
    ]);
    for (const c of chunks) expect(text.slice(c.start, c.end)).toBe(c.text);
  });

  it('merges paragraphs up to the word limit and never splits one mid-sentence', () => {
    const paras: Block[] = Array.from({ length: 30 }, (_, p) => ({
      type: 'paragraph',
      text: Array.from({ length: 5 }, (_, i) => sentence(p * 5 + i)).join(' '),
    }));
    const { chunks } = chunkBlocks(paras, null);
    expect(chunks.length).toBeGreaterThan(1);
    chunks.forEach((c, i) => {
      expect(c.words).toBeLessThanOrEqual(MAX_CHUNK_WORDS);
      // Only the last one holds a remainder.
      if (i < chunks.length - 1) expect(c.words).toBeGreaterThan(MAX_CHUNK_WORDS - 60);
      expect(c.text.endsWith('here.')).toBe(true);
    });
  });

  it('splits a huge paragraph at sentence ends, and a huge sentence at words', () => {
    const huge = Array.from({ length: 200 }, (_, i) => sentence(i)).join(' ');
    const { text, chunks } = chunkBlocks([{ type: 'paragraph', text: huge }], null);
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    for (const c of chunks) {
      expect(c.words).toBeLessThanOrEqual(MAX_CHUNK_WORDS);
      expect(c.text).toMatch(/^Sentence number \d+/);
      expect(c.text.endsWith('here.')).toBe(true);
      expect(text.slice(c.start, c.end)).toBe(c.text);
    }
    const run = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    const cut = chunkBlocks([{ type: 'paragraph', text: run }], null).chunks;
    expect(cut.map((c) => c.words)).toEqual([400, 400, 200]);
  });

  it('never lets a chunk span pages, and records where pages start', () => {
    const blocks = [...paragraphsOf('Page one text.', 1), ...paragraphsOf('Page two text.', 2)];
    const { chunks, pageStarts, text } = chunkBlocks(blocks, 3);
    expect(chunks.map((c) => c.page)).toEqual([1, 2]);
    expect(pageStarts).toEqual([0, text.indexOf('Page two'), text.length]);
  });
});

describe('extractors', () => {
  it('renders HTML tables as Markdown and drops scripts, styles and navigation', () => {
    const blocks = htmlBlocks(
      '<nav>menu</nav><script>evil()</script><h2>T</h2><p>a &amp; b</p><table><tr><td>x|y</td><td>2</td></tr><tr><td>3</td></tr></table>',
    );
    expect(blocks).toEqual([
      { type: 'heading', text: 'T', level: 2 },
      { type: 'paragraph', text: 'a & b' },
      { type: 'table', text: '| x\\|y | 2 |\n| --- | --- |\n| 3 |  |' },
    ]);
  });

  it('reads Markdown setext headings, pipe tables and fenced code', () => {
    const blocks = markdownBlocks('Title\n=====\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode here\n```\n');
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'table', 'paragraph']);
    expect(blocks[1]!.text).toBe('| a | b |\n|---|---|\n| 1 | 2 |');
  });
});
