import type { Block } from './blocks';
import type { ExtractedDocument } from './blocks';
import { LibraryIngestError } from './ingest-error';
import type { OcrEngine } from './ocr';

/** Most pages one PDF may have; longer ones are refused before any page is parsed. */
export const MAX_PDF_PAGES = 5000;
/** A page with fewer visible characters than this has no usable text layer (scanned). */
const MIN_TEXT_CHARS = 20;
/** Render scale for OCR: ~144 dpi for a 72-dpi page, enough for body text. */
const OCR_SCALE = 2;

interface TextItemLike {
  str: string;
  hasEOL?: boolean;
  transform: number[];
  height: number;
}

/**
 * PDF → blocks with page numbers. Pages come from the text layer (pdf.js via unpdf); paragraphs are
 * split where the vertical gap between lines is larger than a line. Pages without a text layer are
 * rendered (pdf.js + @napi-rs/canvas) and read by OCR; where no canvas is available the page is
 * skipped with a notice. Encrypted and damaged files, and files over MAX_PDF_PAGES, are refused.
 */
export async function pdfDocument(buf: Buffer, ocr: OcrEngine, signal?: AbortSignal): Promise<ExtractedDocument> {
  if (buf.subarray(0, 1024).toString('latin1').indexOf('%PDF-') < 0)
    throw new LibraryIngestError('corrupt_file', 'This .pdf file is damaged or is not a PDF.');
  // The page tree's /Count is read from the raw bytes first: a 100,000-page file is refused
  // before pdf.js builds anything for it.
  const declared = maxDeclaredPageCount(buf);
  if (declared > MAX_PDF_PAGES) throw tooManyPages(declared);
  const { getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(buf), { stopAtErrors: false, verbosity: 0 });
  } catch (e) {
    const name = (e as { name?: string })?.name ?? '';
    if (name === 'PasswordException')
      throw new LibraryIngestError(
        'encrypted',
        'This PDF is password-protected; remove the password and add it again.',
      );
    throw new LibraryIngestError('corrupt_file', 'This .pdf file is damaged or unreadable.', { cause: e });
  }
  try {
    if (pdf.numPages > MAX_PDF_PAGES) throw tooManyPages(pdf.numPages);
    const blocks: Block[] = [];
    const notices: string[] = [];
    let ocrPages = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      signal?.throwIfAborted();
      let pageBlocks: Block[];
      try {
        const page = await pdf.getPage(n);
        const content = await page.getTextContent();
        pageBlocks = pageParagraphs(content.items as TextItemLike[], n);
        page.cleanup();
      } catch (e) {
        notices.push(`Page ${n} could not be read (${String((e as Error)?.message ?? e).slice(0, 120)}); skipped.`);
        continue;
      }
      const chars = pageBlocks.reduce((s, b) => s + b.text.replace(/\s/g, '').length, 0);
      if (chars < MIN_TEXT_CHARS) {
        const ocrText = await ocrPage(pdf, n, ocr, notices);
        if (ocrText !== null) {
          ocrPages++;
          const ocrBlocks = ocrParagraphs(ocrText, n);
          if (ocrBlocks.length) pageBlocks = ocrBlocks;
        }
      }
      blocks.push(...pageBlocks);
    }
    if (ocrPages > 0) notices.push(`${ocrPages} page${ocrPages === 1 ? '' : 's'} had no text layer: read by OCR.`);
    return { kind: 'pdf', blocks, pages: pdf.numPages, ocrPages, notices };
  } finally {
    await pdf.loadingTask.destroy().catch(() => undefined);
  }
}

const tooManyPages = (n: number) =>
  new LibraryIngestError(
    'too_large',
    `This PDF has ${n.toLocaleString('en-US')} pages; the library takes at most ${MAX_PDF_PAGES.toLocaleString('en-US')} pages per file.`,
  );

/** The largest `/Type /Pages … /Count N` in the file (0 when none is visible, e.g. in object streams). */
export function maxDeclaredPageCount(buf: Buffer): number {
  const s = buf.toString('latin1');
  let max = 0;
  const re = /\/Count\s+(\d{1,12})/g;
  for (let m = re.exec(s); m; m = re.exec(s)) max = Math.max(max, Number(m[1]));
  return max;
}

/** Groups a page's text items into lines (hasEOL / a change of baseline), and lines into paragraphs at larger gaps. */
function pageParagraphs(items: readonly TextItemLike[], page: number): Block[] {
  const lines: Array<{ text: string; y: number; h: number }> = [];
  let cur: { text: string; y: number; h: number } | null = null;
  for (const it of items) {
    if (typeof it.str !== 'string') continue;
    const y = it.transform?.[5] ?? 0;
    const h = Math.abs(it.height || it.transform?.[3] || 10);
    if (cur && Math.abs(cur.y - y) > h * 0.5 && it.str.trim()) {
      lines.push(cur);
      cur = null;
    }
    cur ??= { text: '', y, h };
    cur.text += it.str;
    cur.h = Math.max(cur.h, h);
    if (it.hasEOL) {
      lines.push(cur);
      cur = null;
    }
  }
  if (cur) lines.push(cur);
  const paragraphs: string[][] = [];
  let prev: { y: number; h: number } | null = null;
  for (const line of lines) {
    const text = line.text.replace(/\s+/g, ' ').trim();
    if (!text) {
      if (paragraphs.at(-1)?.length) paragraphs.push([]);
      continue;
    }
    const gap = prev ? prev.y - line.y : 0;
    if (!prev || gap > Math.max(prev.h, line.h) * 1.6 || gap < 0 || paragraphs.length === 0) paragraphs.push([]);
    paragraphs.at(-1)!.push(text);
    prev = line;
  }
  return paragraphs.filter((p) => p.length > 0).map((p) => ({ type: 'paragraph' as const, text: joinLines(p), page }));
}

/** Joins wrapped lines, undoing end-of-line hyphenation ("infor-" + "mation"). */
function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const l of lines) {
    if (!out) out = l;
    else if (/[a-z]-$/.test(out) && /^[a-z]/.test(l)) out = out.slice(0, -1) + l;
    else out += ' ' + l;
  }
  return out;
}

function ocrParagraphs(text: string, page: number): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0)
    .map((p) => ({ type: 'paragraph' as const, text: p, page }));
}

/** Renders page `n` and OCRs it; null (with a notice) when rendering is not available. */
async function ocrPage(
  pdf: Parameters<typeof import('unpdf').renderPageAsImage>[0],
  n: number,
  ocr: OcrEngine,
  notices: string[],
): Promise<string | null> {
  let png: ArrayBuffer;
  try {
    const { renderPageAsImage } = await import('unpdf');
    png = await renderPageAsImage(pdf, n, { canvasImport: () => import('@napi-rs/canvas'), scale: OCR_SCALE });
  } catch (e) {
    notices.push(
      `Page ${n} has no text layer and could not be rendered for OCR (${String((e as Error)?.message ?? e).slice(0, 100)}); skipped.`,
    );
    return null;
  }
  try {
    return await ocr.recognize(Buffer.from(png));
  } catch (e) {
    notices.push(
      `Page ${n} has no text layer and OCR failed (${String((e as Error)?.message ?? e).slice(0, 100)}); skipped.`,
    );
    return null;
  }
}
