import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { LibraryFileKind } from '../common/contract';
import { LIBRARY_MAX_FILE_BYTES } from '../common/file-kinds';
import { chunkBlocks, type ChunkedDocument } from './chunking';
import { LibraryIngestError } from './ingest-error';
import type { OcrEngine } from './ocr';

export interface PreparedFile {
  fileName: string;
  kind: LibraryFileKind;
  bytes: number;
  hash: string;
  pages: number | null;
  ocrPages: number;
  chunked: ChunkedDocument;
  notices: string[];
}

/** Reads a file's bytes with the library's checks (exists, is a file, size cap). */
export async function readSource(filePath: string): Promise<Buffer> {
  let st: import('node:fs').Stats;
  try {
    st = await fs.stat(filePath);
  } catch (e) {
    throw new LibraryIngestError('not_found', `File not found: ${filePath}`, { cause: e });
  }
  if (!st.isFile()) throw new LibraryIngestError('not_found', `Not a file: ${filePath}`);
  if (st.size > LIBRARY_MAX_FILE_BYTES)
    throw new LibraryIngestError(
      'too_large',
      `File is too large (${(st.size / 1048576).toFixed(1)} MB; the library takes files up to ${LIBRARY_MAX_FILE_BYTES / 1048576} MB).`,
    );
  try {
    return await fs.readFile(filePath);
  } catch (e) {
    throw new LibraryIngestError('not_found', `File not found: ${filePath}`, { cause: e });
  }
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Extracts and chunks one file (the slow, async part of adding it; nothing is written). */
export async function prepareFile(
  fileName: string,
  bytes: Buffer,
  hash: string,
  ocr: OcrEngine,
  signal?: AbortSignal,
): Promise<PreparedFile> {
  // Loaded here, not at the top: the parsers (htmlparser2, pdf.js, mammoth) load only when a job adds files.
  const { extractDocument } = await import('./extract-file');
  const doc = await extractDocument(fileName, bytes, ocr, signal);
  const chunked = chunkBlocks(doc.blocks, doc.pages);
  return {
    fileName,
    kind: doc.kind,
    bytes: bytes.length,
    hash,
    pages: doc.pages,
    ocrPages: doc.ocrPages,
    chunked,
    notices: doc.notices,
  };
}
