import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/app-error';
import { decodeTextBytes } from '../core/decode-text';
import { MAX_BODY_CHARS } from './document-service';

export const TEXT_EXTENSIONS = ['.txt', '.md', '.markdown'] as const;
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Decodes a text file's bytes (see core/decode-text.ts); binary files are refused. */
export function decodeText(bytes: Uint8Array, name = 'file'): string {
  const decoded = decodeTextBytes(bytes);
  if (!decoded) throw new AppError('bad_request', `${name} looks like a binary file, not text.`);
  return decoded.text;
}

/** Reads a .txt/.md file into a title and body, with clear errors for missing, huge or binary files. */
export function readTextFile(file: string): { title: string; body: string } {
  const ext = path.extname(file).toLowerCase();
  if (!(TEXT_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new AppError('bad_request', `${path.basename(file)}: only .txt and .md files can be imported as documents.`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AppError('not_found', `${file} does not exist.`);
  }
  if (!stat.isFile()) throw new AppError('bad_request', `${file} is not a file.`);
  if (stat.size > MAX_FILE_BYTES) throw new AppError('bad_request', `${path.basename(file)} is larger than 20 MB.`);
  const body = decodeText(fs.readFileSync(file), path.basename(file)).replace(/\r\n?/g, '\n');
  if (body.length > MAX_BODY_CHARS) throw new AppError('bad_request', `${path.basename(file)} is too long to import.`);
  const heading = ext === '.txt' ? null : /^#\s+(.+)$/m.exec(body)?.[1];
  return { title: heading?.trim() || path.basename(file, ext), body };
}

/** Writes a document to disk atomically (temp file + rename), so a crash never leaves half a file. */
export function writeTextFile(file: string, body: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new AppError('bad_request', `The folder ${dir} does not exist.`);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, body.endsWith('\n') || body === '' ? body : body + '\n');
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new AppError('bad_request', `Cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
  }
}

/** Text files directly inside `dir` (sorted, so a resumed import walks the same order). */
export function listTextFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    throw new AppError('not_found', `${dir} is not a readable folder.`);
  }
  return entries
    .filter((e) => e.isFile() && (TEXT_EXTENSIONS as readonly string[]).includes(path.extname(e.name).toLowerCase()))
    .map((e) => path.join(dir, e.name))
    .sort();
}
