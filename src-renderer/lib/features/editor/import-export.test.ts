import { getSchema } from '@tiptap/core';
import { EditorState } from '@tiptap/pm/state';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { ProvenanceReplay } from '../../../../src-main/authoring/common';
import { textImport } from '../../../../src-main/documents/common/text-import';
import { docToDocx } from './docx-export';
import { editorExtensions } from './extensions';
import { docToMarkdown, markdownToDoc } from './markdown';
import { captureTransaction, OPERATION_META } from './provenance-capture';
import { docFromText, plainText } from './plain-text';

const schema = getSchema(editorExtensions());

/**
 * What Import does in a new document: the file's text replaces the empty document as one captured
 * 'import' edit. Returns the editor document and the text the core records.
 */
function importInto(doc: ReturnType<typeof docFromText>): { edited: string; exported: string } {
  const state = EditorState.create({ schema, doc: docFromText(schema, '') });
  const tr = state.tr.replaceWith(0, state.doc.content.size, doc.content).setMeta(OPERATION_META, 'import');
  const captured = captureTransaction(tr, null);
  expect(captured.map((c) => c.operation)).toEqual(['import']);
  const replay = new ProvenanceReplay();
  for (const c of captured) replay.apply({ authorId: 'me', kind: 'human', operation: c.operation, ...c.change });
  return { edited: replay.table.text(), exported: plainText(state.apply(tr).doc) };
}

describe('.txt import and export', () => {
  it.each([
    'one line',
    'single\nnewlines\nonly',
    'blank lines\n\n\nbetween\n\n',
    '\n\nleading blank lines',
    '\ttabs\tinside\t\tand\n\tat line starts\t',
    'emoji 😀👍🏽 🇩🇪 and é, 中文\n🧑‍🤝‍🧑',
    'trailing spaces   \n  and leading',
  ])('round-trips %j exactly, bytes included', (text) => {
    const bytes = new TextEncoder().encode(text);
    const imported = textImport('essay.txt', bytes);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.body).toBe(text);
    const { edited, exported } = importInto(docFromText(schema, imported.body));
    expect(edited).toBe(text); // what provenance records
    expect(exported).toBe(text); // what Export .txt writes
    expect(new TextEncoder().encode(exported)).toEqual(bytes);
  });

  it('Windows line ends become single newlines (the one normalisation)', () => {
    const imported = textImport('w.txt', new TextEncoder().encode('a\r\nb\r\n\r\nc'));
    expect(imported.ok && imported.body).toBe('a\nb\n\nc');
  });
});

describe('.md import and export', () => {
  const canonical = [
    '# Title',
    '',
    '## Section *two*',
    '### Third level with **bold**',
    'A paragraph with **bold**, *italic*, ***both*** and `code` and ~~struck~~.',
    '- one',
    '- two with *emphasis*',
    '  - nested',
    '    - deeper',
    '- three',
    '1. first',
    '2. second',
    '  1. inner',
    '> a quote',
    '',
    'Last line.\tTabbed 😀',
  ].join('\n');

  it('a canonical Markdown file comes back unchanged, with its formatting in the editor', () => {
    const doc = markdownToDoc(schema, canonical);
    expect(docToMarkdown(doc)).toBe(canonical);
    const names = new Set<string>();
    doc.descendants((n) => {
      names.add(n.type.name);
      for (const m of n.marks) names.add(m.type.name);
    });
    for (const n of ['heading', 'bulletList', 'orderedList', 'blockquote', 'bold', 'italic', 'code', 'strike'])
      expect(names).toContain(n);
    // The markup is formatting, not text: the plain text has none of it.
    expect(plainText(doc)).not.toMatch(/[#*`~]|^- |^> /m);
  });

  it('is stable after one export: md → doc → md → doc → md gives the same Markdown', () => {
    const loose = '#  Spaced heading\n* star bullet\n+ plus bullet\n3. starts at three\n__strong__ and _em_\n>quote';
    const once = docToMarkdown(markdownToDoc(schema, loose));
    const twice = docToMarkdown(markdownToDoc(schema, once));
    expect(twice).toBe(once);
    expect(plainText(markdownToDoc(schema, once))).toBe(plainText(markdownToDoc(schema, twice)));
  });

  it('imported through the editor, the recorded text is the document’s plain text', () => {
    const doc = markdownToDoc(schema, canonical);
    const { edited, exported } = importInto(doc);
    expect(edited).toBe(plainText(doc));
    expect(exported).toBe(plainText(doc));
  });
});

describe('.docx export', () => {
  it('writes a Word file mammoth reads back to the same paragraphs', async () => {
    const md =
      '# Heading 😀\n\nPlain paragraph with **bold** and *italic*.\n- item one\n  - nested item\n1. numbered\n> quoted\n\tTabbed\tline';
    const doc = markdownToDoc(schema, md);
    const blob = await docToDocx(doc, 'Essay');
    const buffer = Buffer.from(await blob.arrayBuffer());
    expect(buffer.subarray(0, 2).toString()).toBe('PK');
    const { value } = await mammoth.extractRawText({ buffer });
    // mammoth ends every paragraph with a blank line; an empty paragraph is one more.
    const paragraphs = value.replace(/\n\n$/, '').split('\n\n');
    expect(paragraphs).toEqual(plainText(doc).split('\n'));
  });
});
