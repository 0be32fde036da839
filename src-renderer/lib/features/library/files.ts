/**
 * Files picked or dropped into the Library view, checked and grouped into `library.addFiles`
 * uploads. Each upload stays under the API's request limit once base64-encoded, so a big folder
 * goes up in several requests (each its own job) instead of one refused request.
 */
import {
  LIBRARY_EXTENSIONS,
  LIBRARY_MAX_FILE_BYTES,
  libraryKindOf,
} from '../../../../src-main/library/common/file-kinds';

/** For `<input accept>`. */
export const LIBRARY_ACCEPT = LIBRARY_EXTENSIONS.join(',');

/**
 * Raw bytes per upload request: 20 MB is about 27 MB of base64, under the API's 32 MB request
 * limit. Larger files (the library reads up to LIBRARY_MAX_FILE_BYTES) are added by path.
 */
export const MAX_UPLOAD_BATCH_BYTES = Math.min(20 * 1024 * 1024, LIBRARY_MAX_FILE_BYTES);

const mb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;

export const libraryKind = libraryKindOf;

/** What the view needs of a File (so the grouping is testable without a browser). */
export interface PickedFile {
  name: string;
  size: number;
}

export interface UploadPlan<F extends PickedFile> {
  /** Groups of files, each one `library.addFiles` request. */
  batches: F[][];
  /** Files refused before reading, with the reason in plain words. */
  refused: Array<{ name: string; error: string }>;
}

/**
 * Refuses what the library cannot take (unknown kind, empty, over the file limit) and packs the rest
 * into batches of at most MAX_UPLOAD_BATCH_BYTES, in the order given. Hidden files (".DS_Store")
 * from a dropped folder are skipped without a word.
 */
export function planUploads<F extends PickedFile>(files: readonly F[]): UploadPlan<F> {
  const batches: F[][] = [];
  const refused: UploadPlan<F>['refused'] = [];
  let batch: F[] = [];
  let bytes = 0;
  for (const f of files) {
    const base = f.name.split('/').pop() ?? f.name;
    if (base.startsWith('.')) continue;
    if (!libraryKind(base))
      refused.push({ name: f.name, error: 'Not a PDF, DOCX, HTML, Markdown, text or image file.' });
    else if (f.size === 0) refused.push({ name: f.name, error: 'The file is empty.' });
    else if (f.size > LIBRARY_MAX_FILE_BYTES)
      refused.push({ name: f.name, error: `Larger than ${mb(LIBRARY_MAX_FILE_BYTES)}.` });
    else if (f.size > MAX_UPLOAD_BATCH_BYTES)
      refused.push({
        name: f.name,
        error: `Larger than ${mb(MAX_UPLOAD_BATCH_BYTES)}, the most one upload carries: add it by path instead.`,
      });
    else {
      if (batch.length > 0 && bytes + f.size > MAX_UPLOAD_BATCH_BYTES) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(f);
      bytes += f.size;
    }
  }
  if (batch.length > 0) batches.push(batch);
  return { batches, refused };
}

/** A file's bytes as base64 (the API's way of carrying binary files). */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Files from a drop, walking dropped folders (Chromium's entries API); names keep their folder path. */
export async function filesFromDrop(dt: DataTransfer): Promise<Array<{ file: File; name: string }>> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...dt.files].map((file) => ({ file, name: file.name }));
  const out: Array<{ file: File; name: string }> = [];
  const walk = async (entry: FileSystemEntry, depth: number): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ file, name: entry.fullPath.replace(/^\//, '') });
    } else if (entry.isDirectory && depth < 8) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns at most 100 entries per call: read until it returns none.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const e of batch) if (!e.name.startsWith('.')) await walk(e, depth + 1);
      }
    }
  };
  for (const e of entries) await walk(e, 0);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
