/**
 * .docx export of the editor document with the `docx` package (it runs in the browser): headings,
 * lists (with their nesting), quotes (indented), bold, italic, strike, underline and code. Tabs stay
 * tabs; one block is one Word paragraph, as in the plain-text model.
 */
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Tab, TextRun } from 'docx';
import type { Node as PmNode } from '@tiptap/pm/model';

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

function runs(block: PmNode): TextRun[] {
  const out: TextRun[] = [];
  block.forEach((node) => {
    if (!node.text) return;
    const has = (name: string) => node.marks.some((m) => m.type.name === name);
    // A run's tabs must be their own children for Word to show them as tabs.
    const children: Array<string | Tab> = [];
    node.text.split('\t').forEach((part, i) => {
      if (i > 0) children.push(new Tab());
      if (part) children.push(part);
    });
    out.push(
      new TextRun({
        children,
        bold: has('bold'),
        italics: has('italic'),
        strike: has('strike'),
        underline: has('underline') ? {} : undefined,
        font: has('code') ? 'Courier New' : undefined,
      }),
    );
  });
  return out;
}

function paragraphs(
  node: PmNode,
  ctx: { list?: 'bullet' | 'number'; level: number; quote: number },
  out: Paragraph[],
): void {
  switch (node.type.name) {
    case 'heading':
      out.push(
        new Paragraph({
          heading: HEADINGS[Math.min(6, Math.max(1, Number(node.attrs.level))) - 1],
          children: runs(node),
        }),
      );
      return;
    case 'blockquote':
      node.forEach((c) => paragraphs(c, { ...ctx, quote: ctx.quote + 1 }, out));
      return;
    case 'bulletList':
    case 'orderedList': {
      const list = node.type.name === 'bulletList' ? 'bullet' : 'number';
      const level = ctx.list ? ctx.level + 1 : 0;
      node.forEach((item) => item.forEach((c) => paragraphs(c, { ...ctx, list, level }, out)));
      return;
    }
    default: {
      const indent = ctx.quote ? { left: 720 * ctx.quote } : undefined;
      const numbering = ctx.list ? { reference: ctx.list, level: Math.min(ctx.level, 8) } : undefined;
      out.push(new Paragraph({ children: runs(node), indent, numbering }));
    }
  }
}

const levels = (format: (typeof LevelFormat)[keyof typeof LevelFormat], text: (i: number) => string) =>
  Array.from({ length: 9 }, (_, i) => ({
    level: i,
    format,
    text: text(i),
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: 720 * (i + 1), hanging: 360 } } },
  }));

/** The document as a .docx file. */
export async function docToDocx(doc: PmNode, title: string): Promise<Blob> {
  const out: Paragraph[] = [];
  doc.forEach((node) => paragraphs(node, { level: 0, quote: 0 }, out));
  const file = new Document({
    title,
    numbering: {
      config: [
        { reference: 'bullet', levels: levels(LevelFormat.BULLET, () => '•') },
        { reference: 'number', levels: levels(LevelFormat.DECIMAL, (i) => `%${i + 1}.`) },
      ],
    },
    sections: [{ children: out }],
  });
  return Packer.toBlob(file);
}
