/** The files detection can read, shared by text extraction and the Detect view's file picker. */

/** File name endings detection reads (lower case): plain text, Markdown, Word and PDF. */
export const SUPPORTED_EXTENSIONS = ['.txt', '.text', '.md', '.markdown', '.docx', '.pdf'] as const;

/** Endings whose text the core extracts (the UI sends their bytes); the rest is plain text. */
export const EXTRACTED_EXTENSIONS = ['.docx', '.pdf'] as const;

/** The file's extension, lower case with its dot ('' when none). */
export const extensionOf = (name: string): string => /\.[^./\\]+$/.exec(name.toLowerCase())?.[0] ?? '';

/** Whether detection can read a file of this name. */
export const isSupportedFile = (name: string): boolean =>
  (SUPPORTED_EXTENSIONS as readonly string[]).includes(extensionOf(name));

/** Whether the core must extract this file's text (Word, PDF) rather than decode it as text. */
export const needsExtraction = (name: string): boolean =>
  (EXTRACTED_EXTENSIONS as readonly string[]).includes(extensionOf(name));
