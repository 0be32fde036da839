import { paragraphsOf, type Block } from './blocks';

/**
 * Markdown → blocks: ATX headings (`# Title`) and setext headings (underlined), pipe tables kept
 * verbatim (they are Markdown tables already), fenced code kept as one paragraph, the rest split
 * into paragraphs at blank lines.
 */
export function markdownBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push(...paragraphsOf(para.join('\n')));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const atx = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (atx) {
      flush();
      if (atx[2]) blocks.push({ type: 'heading', text: atx[2], level: atx[1]!.length });
      continue;
    }
    const next = lines[i + 1];
    if (
      para.length === 0 &&
      line.trim() &&
      next !== undefined &&
      /^ {0,3}(=+|-+)\s*$/.test(next) &&
      !/^\s*\|/.test(line)
    ) {
      blocks.push({ type: 'heading', text: line.trim(), level: next.trim().startsWith('=') ? 1 : 2 });
      i++;
      continue;
    }
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      const fence = line.trim().slice(0, 3);
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence); i++) code.push(lines[i]!);
      if (code.join('').trim()) blocks.push({ type: 'paragraph', text: code.join('\n').trim() });
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line)) {
      flush();
      const rows: string[] = [];
      for (; i < lines.length && /^\s*\|.*\|\s*$/.test(lines[i]!); i++) rows.push(lines[i]!.trim());
      i--;
      blocks.push({ type: 'table', text: rows.join('\n') });
      continue;
    }
    if (!line.trim()) flush();
    else para.push(line.replace(/^\s*([-*+]|\d+[.)])\s+/, '$1 ').trim());
  }
  flush();
  return blocks;
}
