import path from 'node:path';
import { decodeTextBytes } from '../../core/common/decode-text';
import { docxRefusal } from '../../detection/zip-guard';
import { libraryKindOf } from '../common/file-kinds';
import { paragraphsOf, type ExtractedDocument } from './blocks';
import { htmlBlocks } from './extract-html';
import { markdownBlocks } from './extract-markdown';
import { pdfDocument } from './extract-pdf';
import { LibraryIngestError } from './ingest-error';
import type { OcrEngine } from './ocr';

/**
 * Reads one file's bytes into blocks by its kind. Every failure is a LibraryIngestError with a
 * sentence for the user (the job records it for that file and goes on to the next).
 */
export async function extractDocument(
  fileName: string,
  bytes: Buffer,
  ocr: OcrEngine,
  signal?: AbortSignal,
): Promise<ExtractedDocument> {
  const kind = libraryKindOf(fileName);
  if (!kind) {
    const ext = path.extname(fileName) || '(none)';
    throw new LibraryIngestError(
      'unsupported_file',
      `Unsupported file type "${ext}": the library reads PDF, DOCX, HTML, Markdown, TXT and images (PNG, JPEG, WebP, …).`,
    );
  }
  let doc: ExtractedDocument;
  switch (kind) {
    case 'pdf':
      doc = await pdfDocument(bytes, ocr, signal);
      break;
    case 'docx':
      doc = { kind, blocks: await docxBlocks(bytes), pages: null, ocrPages: 0, notices: [] };
      break;
    case 'html':
      doc = { kind, blocks: htmlBlocks(decode(bytes)), pages: null, ocrPages: 0, notices: [] };
      break;
    case 'markdown':
      doc = { kind, blocks: markdownBlocks(decode(bytes)), pages: null, ocrPages: 0, notices: [] };
      break;
    case 'text':
      doc = {
        kind,
        blocks: paragraphsOf(decode(bytes).replace(/\r\n?/g, '\n')),
        pages: null,
        ocrPages: 0,
        notices: [],
      };
      break;
    case 'image': {
      let text: string;
      try {
        text = await ocr.recognize(bytes);
      } catch (e) {
        throw new LibraryIngestError('corrupt_file', 'This image could not be read (damaged or not an image).', {
          cause: e,
        });
      }
      doc = { kind, blocks: paragraphsOf(text), pages: null, ocrPages: 1, notices: ['Text read by OCR.'] };
      break;
    }
  }
  if (!doc.blocks.some((b) => b.text.trim()))
    throw new LibraryIngestError(
      'empty_text',
      doc.notices.length ? `No text could be extracted. ${doc.notices.join(' ')}` : 'The file contains no text.',
    );
  return doc;
}

function decode(bytes: Buffer): string {
  const d = decodeTextBytes(bytes);
  if (!d) throw new LibraryIngestError('binary_data', 'This file looks like binary data, not text.');
  return d.text;
}

/** DOCX → HTML (mammoth keeps headings and tables) → blocks, after the zip-bomb guard. */
async function docxBlocks(bytes: Buffer) {
  const refusal = await docxRefusal(bytes);
  if (refusal)
    throw new LibraryIngestError(
      refusal.reason === 'too_large' ? 'too_large' : 'corrupt_file',
      refusal.message,
      refusal.cause === undefined ? undefined : { cause: refusal.cause },
    );
  try {
    const mammoth = await import('mammoth');
    const res = await (mammoth.default ?? mammoth).convertToHtml({ buffer: bytes });
    return htmlBlocks(res.value);
  } catch (e) {
    throw new LibraryIngestError('corrupt_file', 'This .docx file is damaged or is not a Word document.', { cause: e });
  }
}
