import { getSchema } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { editorExtensions } from './extensions';
import { findAll } from './find';
import { docToMarkdown, markdownToDoc } from './markdown';
import { plainText } from './plain-text';

const schema = getSchema(editorExtensions());

describe('markdown import and export', () => {
  it('turns markup into formatting, not text, and writes it back', () => {
    const md =
      '# Title\n\nSome **bold** and *italic* and `code`.\n- one\n- two\n  - deep\n1. first\n2. second\n> quoted\n\tTabbed 😀';
    const doc = markdownToDoc(schema, md);
    expect(plainText(doc)).toBe(
      'Title\n\nSome bold and italic and code.\none\ntwo\ndeep\nfirst\nsecond\nquoted\n\tTabbed 😀',
    );
    expect(docToMarkdown(doc)).toBe(md);
  });

  it('a plain text exports as itself', () => {
    const text = 'line one\n\n\tline three\n';
    expect(docToMarkdown(markdownToDoc(schema, text))).toBe(text);
  });
});

describe('find', () => {
  it('finds every literal match, case-insensitively unless asked', () => {
    expect(findAll('The cat. the CAT.', 'the')).toEqual([
      { from: 0, to: 3 },
      { from: 9, to: 12 },
    ]);
    expect(findAll('The cat. the CAT.', 'CAT', true)).toEqual([{ from: 13, to: 16 }]);
    expect(findAll('a.b', '.')).toEqual([{ from: 1, to: 2 }]);
    expect(findAll('abc', '')).toEqual([]);
  });
});
