/**
 * The rules for turning a user's text file into a document, shared by the CLI/job import
 * (documents/text-files.ts) and the Write view's Import: which files, how large, how the bytes are
 * decoded (the one decoder detection uses too) and where the title comes from.
 */
import { decodeTextBytes, type DecodedText } from '../../core/common/decode-text';
import { fileTooLargeMessage, MAX_FILE_BYTES } from '../../core/common/file-limits';
import { MAX_BODY_CHARS } from './limits';

/** File name endings that can be imported as documents (lower case). */
export const TEXT_EXTENSIONS = ['.txt', '.md', '.markdown'] as const;

/** The same list for a file picker's `accept`. */
export const TEXT_ACCEPT = [...TEXT_EXTENSIONS, 'text/plain', 'text/markdown'].join(',');

/** Why a file was not imported. */
export type ImportRefusalReason = 'unsupported_type' | 'too_large' | 'binary' | 'too_long';

export interface ImportRefusal {
  ok: false;
  reason: ImportRefusalReason;
  /** A sentence for the user that names the file. */
  message: string;
}

export interface TextImport {
  ok: true;
  title: string;
  /** The text with line ends normalised to \n. */
  body: string;
  encoding: DecodedText['encoding'];
}

/** The file's extension, lower case with its dot ('' when none). */
export function extensionOf(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** Checks what is known before reading a file: its name and size. Null when it may be read. */
export function refuseBeforeReading(name: string, size: number): ImportRefusal | null {
  const base = baseName(name);
  if (!(TEXT_EXTENSIONS as readonly string[]).includes(extensionOf(name)))
    return refusal('unsupported_type', `${base}: only .txt and .md files can be imported as documents.`);
  if (size > MAX_FILE_BYTES) return refusal('too_large', fileTooLargeMessage(base));
  return null;
}

/**
 * Turns a file's name and bytes into a document's title and body, or says why not. Binary data is
 * refused (as detection refuses it); a Markdown file's first `# heading` is its title, a .txt
 * file's title is its name (a `#` line in plain text is just text).
 */
export function textImport(name: string, bytes: Uint8Array): TextImport | ImportRefusal {
  const early = refuseBeforeReading(name, bytes.byteLength);
  if (early) return early;
  const base = baseName(name);
  const decoded = decodeTextBytes(bytes);
  if (!decoded) return refusal('binary', `${base} looks like a binary file, not text.`);
  const body = normaliseLineEnds(decoded.text);
  if (body.length > MAX_BODY_CHARS) return refusal('too_long', `${base} is too long to import.`);
  return { ok: true, title: importTitle(name, body), body, encoding: decoded.encoding };
}

/** A Markdown file's first `# heading`, else the file name without its extension. */
export function importTitle(name: string, body: string): string {
  const ext = extensionOf(name);
  const heading = ext === '.md' || ext === '.markdown' ? /^#\s+(.+)$/m.exec(body)?.[1]?.trim() : undefined;
  const base = baseName(name);
  return heading || (ext ? base.slice(0, -ext.length) : base) || base;
}

/** CRLF and lone CR become LF, so a document's text never depends on the OS that wrote it. */
export const normaliseLineEnds = (text: string): string => text.replace(/\r\n?/g, '\n');

const baseName = (name: string): string => name.split(/[\\/]/).pop() ?? name;

const refusal = (reason: ImportRefusalReason, message: string): ImportRefusal => ({ ok: false, reason, message });
