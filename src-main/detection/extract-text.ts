/**
 * Text from user files: .txt/.md (UTF-8, UTF-16 with BOM, Latin-1 fallback), .docx (mammoth, after
 * the zip-bomb guard),
 * .pdf (unpdf). Every failure is a DetectionError with a message for the user, so a batch can
 * report it per file and carry on. Reused by the UI.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeTextBytes, type DecodedText } from '../core/common/decode-text';
import { MAX_FILE_BYTES, MAX_FILE_SIZE_LABEL } from '../core/common/file-limits';
import { SUPPORTED_EXTENSIONS } from './common/file-types';
import { DetectionError } from './errors';
import { docxRefusal } from './zip-guard';

// One limit for every user file (documents import the same), checked before anything is read.
export { MAX_FILE_BYTES, SUPPORTED_EXTENSIONS };

export interface ExtractedText {
  text: string;
  format: 'text' | 'markdown' | 'docx' | 'pdf';
  /** Encoding used to decode plain-text files. */
  encoding?: DecodedText['encoding'];
}

/**
 * Read a file and return its text.
 * @throws DetectionError not_found | unsupported_file | too_large | binary_data | corrupt_file | empty_text
 */
export async function extractText(filePath: string): Promise<ExtractedText> {
  const ext = path.extname(filePath).toLowerCase();
  if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new DetectionError(
      'unsupported_file',
      `Unsupported file type "${ext || '(none)'}": use .txt, .md, .docx or .pdf.`,
      { path: filePath },
    );
  }
  let size: number;
  try {
    const st = await stat(filePath);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch (e) {
    throw new DetectionError('not_found', `File not found: ${filePath}`, { path: filePath }, { cause: e });
  }
  if (size > MAX_FILE_BYTES) {
    throw new DetectionError(
      'too_large',
      `File is too large (${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_SIZE_LABEL}).`,
      { path: filePath, size },
    );
  }
  const buf = await readFile(filePath);
  let out: ExtractedText;
  if (ext === '.docx') out = { text: await docxText(buf, filePath), format: 'docx' };
  else if (ext === '.pdf') out = { text: await pdfText(buf, filePath), format: 'pdf' };
  else {
    const { text, encoding } = decodeText(buf);
    out = { text, encoding, format: ext === '.md' || ext === '.markdown' ? 'markdown' : 'text' };
  }
  if (out.text.trim() === '') throw new DetectionError('empty_text', 'The file contains no text.', { path: filePath });
  return out;
}

/**
 * Decodes a plain-text file with the one decoder of the app (core/common/decode-text.ts).
 * @throws DetectionError binary_data when the bytes are not text.
 */
export function decodeText(buf: Uint8Array): DecodedText {
  const decoded = decodeTextBytes(buf);
  if (!decoded) throw new DetectionError('binary_data', 'This file looks like binary data, not text.');
  return decoded;
}

async function docxText(buf: Buffer, filePath: string): Promise<string> {
  const refusal = await docxRefusal(buf);
  if (refusal)
    throw new DetectionError(
      refusal.reason === 'too_large' ? 'too_large' : 'corrupt_file',
      refusal.message,
      { path: filePath },
      refusal.cause === undefined ? undefined : { cause: refusal.cause },
    );
  try {
    const mammoth = await import('mammoth');
    const res = await (mammoth.default ?? mammoth).extractRawText({ buffer: buf });
    return res.value;
  } catch (e) {
    throw new DetectionError(
      'corrupt_file',
      'This .docx file is damaged or is not a Word document.',
      { path: filePath },
      { cause: e },
    );
  }
}

async function pdfText(buf: Buffer, filePath: string): Promise<string> {
  if (buf.length < 5 || buf.subarray(0, 1024).toString('latin1').indexOf('%PDF-') < 0) {
    throw new DetectionError('corrupt_file', 'This .pdf file is damaged or is not a PDF.', { path: filePath });
  }
  try {
    const { extractText: pdfExtract } = await import('unpdf');
    const res = await pdfExtract(new Uint8Array(buf), { mergePages: true });
    return res.text;
  } catch (e) {
    throw new DetectionError(
      'corrupt_file',
      'This .pdf file is damaged, encrypted or unreadable.',
      { path: filePath },
      { cause: e },
    );
  }
}
