/**
 * Markdown in and out of the editor: headings, bullet and numbered lists, quotes, bold, italic,
 * strike and code. Markup becomes formatting, not text, so the plain text of an imported .md holds
 * the words without `#` or `**`; exporting writes the markup back. Nested lists use two-space indents.
 */
import type { Mark, Node as PmNode, Schema } from '@tiptap/pm/model';

// `***both***` first: read as bold, its inner `*` would stay in the text as a literal asterisk.
const INLINE = /(\*\*\*|___)(?!\s)(.+?)\1|(\*\*|__)(.+?)\3|(\*|_)(?!\s)(.+?)\5|~~(.+?)~~|`([^`]+)`/;

function inline(schema: Schema, text: string, marks: readonly Mark[] = []): PmNode[] {
  const out: PmNode[] = [];
  let rest = text;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(schema.text(rest, marks));
      break;
    }
    if (m.index > 0) out.push(schema.text(rest.slice(0, m.index), marks));
    const [names, inner]: [string[], string] =
      m[2] !== undefined
        ? [['bold', 'italic'], m[2]]
        : m[4] !== undefined
          ? [['bold'], m[4]]
          : m[6] !== undefined
            ? [['italic'], m[6]]
            : m[7] !== undefined
              ? [['strike'], m[7]]
              : [['code'], m[8]!];
    const inside = names.reduce((set, name) => schema.marks[name]!.create().addToSet(set), marks);
    if (names[0] === 'code') out.push(schema.text(inner, inside));
    else out.push(...inline(schema, inner, inside));
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

const para = (schema: Schema, text: string): PmNode =>
  schema.nodes.paragraph!.create(null, text ? inline(schema, text) : null);

interface ListLine {
  indent: number;
  ordered: boolean;
  text: string;
}

const LIST = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;

function buildList(schema: Schema, items: ListLine[], start: number, indent: number): [PmNode, number] {
  const ordered = items[start]!.ordered;
  const children: PmNode[] = [];
  let i = start;
  while (i < items.length && items[i]!.indent >= indent) {
    const item = items[i]!;
    if (item.indent > indent) {
      // A deeper list belongs to the previous item.
      const [sub, next] = buildList(schema, items, i, item.indent);
      const prev = children.pop();
      children.push(
        prev ? prev.copy(prev.content.addToEnd(sub)) : schema.nodes.listItem!.create(null, [para(schema, ''), sub]),
      );
      i = next;
      continue;
    }
    if (item.ordered !== ordered) break;
    children.push(schema.nodes.listItem!.create(null, para(schema, item.text)));
    i++;
  }
  const type = ordered ? schema.nodes.orderedList! : schema.nodes.bulletList!;
  return [type.create(null, children), i];
}

/** The editor document of a Markdown text (line ends already "\n"). */
export function markdownToDoc(schema: Schema, md: string): PmNode {
  const lines = md.split('\n');
  const blocks: PmNode[] = [];
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push(
        schema.nodes.heading!.create({ level: heading[1]!.length }, heading[2] ? inline(schema, heading[2]) : null),
      );
      i++;
    } else if (LIST.test(line)) {
      const items: ListLine[] = [];
      while (i < lines.length && LIST.test(lines[i]!)) {
        const m = LIST.exec(lines[i]!)!;
        items.push({ indent: m[1]!.length, ordered: /\d/.test(m[2]!), text: m[3]! });
        i++;
      }
      for (let at = 0; at < items.length;) {
        const [list, next] = buildList(schema, items, at, items[at]!.indent);
        blocks.push(list);
        at = next > at ? next : at + 1;
      }
    } else if (/^>\s?/.test(line)) {
      const quoted: PmNode[] = [];
      while (i < lines.length && /^>\s?/.test(lines[i]!)) quoted.push(para(schema, lines[i++]!.replace(/^>\s?/, '')));
      blocks.push(schema.nodes.blockquote!.create(null, quoted));
    } else {
      blocks.push(para(schema, line));
      i++;
    }
  }
  return schema.topNodeType.create(null, blocks.length ? blocks : [para(schema, '')]);
}

function inlineMd(block: PmNode): string {
  let out = '';
  block.forEach((node) => {
    let t = node.text ?? '';
    if (!t) return;
    const names = new Set(node.marks.map((m) => m.type.name));
    if (names.has('code')) t = `\`${t}\``;
    if (names.has('strike')) t = `~~${t}~~`;
    if (names.has('italic')) t = `*${t}*`;
    if (names.has('bold')) t = `**${t}**`;
    out += t;
  });
  return out;
}

function blockMd(node: PmNode, prefix: string, lines: string[]): void {
  switch (node.type.name) {
    case 'heading':
      lines.push(`${prefix}${'#'.repeat(Number(node.attrs.level) || 1)} ${inlineMd(node)}`);
      return;
    case 'blockquote':
      node.forEach((child) => blockMd(child, `${prefix}> `, lines));
      return;
    case 'bulletList':
    case 'orderedList': {
      let n = Number(node.attrs.start) || 1;
      node.forEach((item) => {
        const marker = node.type.name === 'bulletList' ? '- ' : `${n++}. `;
        let first = true;
        item.forEach((child) => {
          if (first && child.isTextblock) lines.push(`${prefix}${marker}${inlineMd(child)}`);
          else blockMd(child, `${prefix}  `, lines);
          first = false;
        });
      });
      return;
    }
    default:
      lines.push(node.isTextblock ? `${prefix}${inlineMd(node)}` : prefix);
  }
}

/** Markdown for the editor document: one line per block, so a plain document exports as its plain text. */
export function docToMarkdown(doc: PmNode): string {
  const lines: string[] = [];
  doc.forEach((node) => blockMd(node, '', lines));
  return lines.join('\n');
}
