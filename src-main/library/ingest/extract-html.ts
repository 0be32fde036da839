import { Parser } from 'htmlparser2';
import type { Block } from './blocks';
import { markdownTable } from './markdown-table';

/** Elements whose content is never reference text (code, navigation chrome, metadata). */
const DROP = new Set(['script', 'style', 'nav', 'noscript', 'template', 'head', 'svg', 'iframe', 'object', 'button']);
/** Elements that end a paragraph. */
const BREAK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'br',
  'hr',
  'figure',
  'figcaption',
  'form',
  'address',
  'body',
  'html',
]);
const HEADING = /^h([1-6])$/;

/**
 * HTML → blocks: headings kept with their level, tables rendered as Markdown tables, paragraphs at
 * block elements; script/style/nav and other chrome dropped. Also used for DOCX (mammoth's HTML).
 */
export function htmlBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let text = '';
  let dropDepth = 0;
  let heading: number | null = null;
  // Tables nest: the innermost one collects cells; a nested table's text lands in its parent's cell.
  const tables: Array<{ rows: string[][]; cell: string | null }> = [];

  const flush = () => {
    const t = text.replace(/\s+/g, ' ').trim();
    text = '';
    if (!t) return;
    if (heading !== null) blocks.push({ type: 'heading', text: t, level: heading });
    else blocks.push({ type: 'paragraph', text: t });
  };
  const append = (s: string) => {
    const table = tables.at(-1);
    if (table) {
      if (table.cell !== null) table.cell += s;
    } else text += s;
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (dropDepth > 0 || DROP.has(name)) {
          dropDepth++;
          return;
        }
        const h = HEADING.exec(name);
        const table = tables.at(-1);
        if (name === 'table') {
          if (!table) flush();
          tables.push({ rows: [], cell: null });
        } else if (table && name === 'tr') table.rows.push([]);
        else if (table && (name === 'td' || name === 'th')) table.cell = '';
        else if (table && BREAK.has(name)) append(' ');
        else if (h) {
          flush();
          heading = Number(h[1]);
        } else if (BREAK.has(name)) flush();
      },
      ontext(data) {
        if (dropDepth === 0) append(data);
      },
      onclosetag(name) {
        if (dropDepth > 0) {
          dropDepth--;
          return;
        }
        const table = tables.at(-1);
        if (name === 'table' && table) {
          tables.pop();
          const md = markdownTable(table.rows.filter((r) => r.length > 0));
          const parent = tables.at(-1);
          if (parent) {
            if (parent.cell !== null) parent.cell += ' ' + table.rows.map((r) => r.join(' ')).join(' ');
          } else if (md) blocks.push({ type: 'table', text: md });
        } else if (table && (name === 'td' || name === 'th')) {
          if (table.cell !== null) {
            if (table.rows.length === 0) table.rows.push([]);
            table.rows.at(-1)!.push(table.cell.replace(/\s+/g, ' ').trim());
          }
          table.cell = null;
        } else if (HEADING.test(name)) {
          flush();
          heading = null;
        } else if (!table && BREAK.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  while (tables.length > 0) {
    const t = tables.shift()!;
    const md = markdownTable(t.rows.filter((r) => r.length > 0));
    if (md) blocks.push({ type: 'table', text: md });
  }
  flush();
  return blocks;
}
