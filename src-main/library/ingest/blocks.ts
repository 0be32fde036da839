import type { LibraryFileKind } from '../common/contract';

/** A unit of extracted text: chunking never splits a heading or a table, and splits paragraphs only at sentences. */
export interface Block {
  type: 'heading' | 'paragraph' | 'table';
  text: string;
  /** 1..6 for headings. */
  level?: number;
  /** 1-based page for paged sources. */
  page?: number;
}

/** What an extractor makes of one file. */
export interface ExtractedDocument {
  kind: LibraryFileKind;
  blocks: Block[];
  /** Page count for paged sources (PDF), else null. */
  pages: number | null;
  /** Pages read through OCR (scanned PDF pages, or 1 for an image). */
  ocrPages: number;
  /** Per-file notes for the job result (pages skipped, OCR used). */
  notices: string[];
}

/** Splits plain text into paragraph blocks at blank lines (single newlines are soft wraps). */
export function paragraphsOf(text: string, page?: number): Block[] {
  const out: Block[] = [];
  for (const part of text.split(/\n[ \t]*\n+/)) {
    const t = part
      .replace(/[ \t]*\n[ \t]*/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .trim();
    if (t) out.push(page === undefined ? { type: 'paragraph', text: t } : { type: 'paragraph', text: t, page });
  }
  return out;
}
