import type { Block } from './blocks';

/** A chunk stops growing before it would pass this many words. */
export const MAX_CHUNK_WORDS = 400;
/** Heading paths are joined with this (as in the contract's example "Methods › Sampling"). */
export const HEADING_SEPARATOR = ' › ';

export interface ChunkDraft {
  ord: number;
  text: string;
  heading: string | null;
  page: number | null;
  start: number;
  end: number;
  words: number;
}

export interface ChunkedDocument {
  /** The document's extracted text: blocks joined by blank lines; chunk offsets point into it. */
  text: string;
  /** For paged sources: offset of each page's first character (index 0 = page 1). */
  pageStarts: number[] | null;
  chunks: ChunkDraft[];
}

interface Piece {
  start: number;
  end: number;
  words: number;
  page: number | null;
}

const countWords = (s: string): number => (s.match(/\S+/g) ?? []).length;

/**
 * Chunks that respect structure: a heading always starts a new chunk (its path is stored with the
 * chunk), so does a new page of a paged source, paragraphs and tables are kept whole and merged up to MAX_CHUNK_WORDS; only a paragraph
 * longer than that is split, at sentence ends (at word boundaries for a single huge sentence), and
 * a huge table at row ends.
 */
export function chunkBlocks(blocks: readonly Block[], pages: number | null): ChunkedDocument {
  let text = '';
  const pageStarts: number[] = [];
  const chunks: ChunkDraft[] = [];
  const path: Array<{ level: number; text: string }> = [];
  let cur: Piece[] = [];
  let curWords = 0;

  const heading = () => (path.length ? path.map((h) => h.text).join(HEADING_SEPARATOR) : null);
  const flush = () => {
    if (cur.length === 0) return;
    const start = cur[0]!.start;
    const end = cur.at(-1)!.end;
    chunks.push({
      ord: chunks.length,
      text: text.slice(start, end),
      heading: heading(),
      page: cur[0]!.page,
      start,
      end,
      words: curWords,
    });
    cur = [];
    curWords = 0;
  };

  for (const b of blocks) {
    const t = b.text.trim();
    if (!t) continue;
    if (text) text += '\n\n';
    const start = text.length;
    text += t;
    const page = b.page ?? null;
    if (page !== null) while (pageStarts.length < page) pageStarts.push(start);
    if (b.type === 'heading') {
      flush();
      const level = b.level ?? 1;
      while (path.length && path.at(-1)!.level >= level) path.pop();
      path.push({ level, text: t });
      continue;
    }
    // A chunk never spans pages: its page anchor is exact.
    if (cur.length && cur[0]!.page !== page) flush();
    for (const piece of splitLong(t, start, page, b.type === 'table' ? 'rows' : 'sentences')) {
      if (curWords > 0 && curWords + piece.words > MAX_CHUNK_WORDS) flush();
      cur.push(piece);
      curWords += piece.words;
    }
  }
  flush();
  if (chunks.length === 0 && text.trim()) {
    // Headings only (a table of contents, a title page): one chunk, so the text is still findable.
    chunks.push({
      ord: 0,
      text,
      heading: null,
      page: pageStarts.length ? 1 : null,
      start: 0,
      end: text.length,
      words: countWords(text),
    });
  }
  if (pages !== null) while (pageStarts.length < pages) pageStarts.push(text.length);
  return { text, pageStarts: pages !== null ? pageStarts : null, chunks };
}

/** One block as pieces of at most MAX_CHUNK_WORDS words, each a range of the document text. */
function splitLong(t: string, offset: number, page: number | null, by: 'sentences' | 'rows'): Piece[] {
  const words = countWords(t);
  if (words <= MAX_CHUNK_WORDS) return [{ start: offset, end: offset + t.length, words, page }];
  const bounds = by === 'rows' ? rowEnds(t) : sentenceEnds(t);
  const pieces: Piece[] = [];
  let from = 0;
  let last = 0;
  let acc = 0;
  const push = (to: number) => {
    const s = t.slice(from, to);
    const lead = s.length - s.trimStart().length;
    const trail = s.length - s.trimEnd().length;
    if (s.trim()) pieces.push({ start: offset + from + lead, end: offset + to - trail, words: countWords(s), page });
    from = to;
  };
  for (const end of [...bounds, t.length]) {
    const w = countWords(t.slice(last, end));
    if (acc > 0 && acc + w > MAX_CHUNK_WORDS) {
      push(last);
      acc = 0;
    }
    if (w > MAX_CHUNK_WORDS) {
      // One sentence longer than a chunk: cut it at word boundaries.
      for (const cut of wordCuts(t, last, end)) {
        push(cut);
      }
      acc = countWords(t.slice(from, end));
    } else acc += w;
    last = end;
  }
  push(t.length);
  return pieces;
}

/** Offsets just after each sentence end (., !, ? and closing quotes/brackets, followed by space). */
function sentenceEnds(t: string): number[] {
  const out: number[] = [];
  const re = /[.!?…]+["'’”)\]]*(?=\s+\S)/g;
  for (let m = re.exec(t); m; m = re.exec(t)) out.push(m.index + m[0].length);
  return out;
}

function rowEnds(t: string): number[] {
  const out: number[] = [];
  for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) out.push(i);
  return out;
}

/** Cut points inside [from, to) every MAX_CHUNK_WORDS words, at whitespace. */
function wordCuts(t: string, from: number, to: number): number[] {
  const cuts: number[] = [];
  const re = /\S+/g;
  re.lastIndex = from;
  let n = 0;
  for (let m = re.exec(t); m && m.index < to; m = re.exec(t)) {
    if (n > 0 && n % MAX_CHUNK_WORDS === 0) cuts.push(m.index);
    n++;
  }
  return cuts;
}
