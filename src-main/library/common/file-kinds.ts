/** Which files the library reads, by extension (shared with the Library view's file picker). */
import type { LibraryFileKind } from './contract';

const BY_EXTENSION: Record<string, LibraryFileKind> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.webp': 'image',
  '.bmp': 'image',
  '.gif': 'image',
  '.tif': 'image',
  '.tiff': 'image',
};

/** Extensions the library reads (folders are scanned for these). */
export const LIBRARY_EXTENSIONS = Object.keys(BY_EXTENSION);

/** The kind of a file by its name, or null when the library does not read it. */
export function libraryKindOf(fileName: string): LibraryFileKind | null {
  const dot = fileName.lastIndexOf('.');
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  if (dot <= slash + 1) return null;
  return BY_EXTENSION[fileName.slice(dot).toLowerCase()] ?? null;
}

/** Largest file the library reads (PDF books are bigger than essays: above the app's 20 MB import limit). */
export const LIBRARY_MAX_FILE_BYTES = 50 * 1024 * 1024;
