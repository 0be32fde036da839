import { MAX_UPLOAD_BYTES, MAX_FILE_SIZE_LABEL } from '../../../../src-main/checks/common/limits';
import { decodeTextBytes } from '../../../../src-main/core/common/decode-text';
import {
  isSupportedFile,
  needsExtraction,
  SUPPORTED_EXTENSIONS,
} from '../../../../src-main/detection/common/file-types';
import { api, errorMessage } from '../../api/client';

export const ACCEPT_ATTR = SUPPORTED_EXTENSIONS.join(',');

/** A file picked or dropped, with its path inside a chosen folder when there is one. */
export interface PickedFile {
  file: File;
  /** "essays/alice.docx" for folder picks, else the file name. */
  name: string;
}

export type ReadResult = { name: string; text: string } | { name: string; error: string };

export const isSupported = isSupportedFile;

/** Files from an `<input type=file>` (with `webkitdirectory`, each carries its relative path). */
export function fromInput(list: FileList | null): PickedFile[] {
  // Sorted by path: browsers list a folder's files in no particular order.
  return [...(list ?? [])]
    .map((file) => ({ file, name: file.webkitRelativePath || file.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Files from a drop, walking dropped folders (Chromium's entries API), sorted by path. */
export async function fromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return fromInput(dt.files);
  const out: PickedFile[] = [];
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

/**
 * Reads one file's text. .txt/.md are decoded here by the core's one decoder (BOMs, UTF-16,
 * strict UTF-8, Latin-1; binary data refused as the CLI refuses it); .docx/.pdf are sent to the
 * app, which extracts their text. Errors come back as data, per file.
 */
export async function readFile(p: PickedFile): Promise<ReadResult> {
  const { file, name } = p;
  if (!isSupported(name)) return { name, error: 'Not a .txt, .md, .docx or .pdf file.' };
  if (file.size > MAX_UPLOAD_BYTES) return { name, error: `Larger than ${MAX_FILE_SIZE_LABEL}.` };
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (needsExtraction(name)) {
      const { text } = await api.checks.extractFile.mutate({ name: file.name, base64: toBase64(bytes) });
      return { name, text };
    }
    const decoded = decodeTextBytes(bytes);
    if (!decoded) return { name, error: 'This file looks like binary data, not text.' };
    if (decoded.text.trim() === '') return { name, error: 'The file is empty.' };
    return { name, text: decoded.text };
  } catch (e) {
    return { name, error: errorMessage(e).replace(`${file.name}: `, '') };
  }
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
