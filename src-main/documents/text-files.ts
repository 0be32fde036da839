import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/app-error';
import { refuseBeforeReading, TEXT_EXTENSIONS, textImport, type ImportRefusal } from './common/text-import';

export { TEXT_EXTENSIONS };

/** A refusal from the shared import rules as the error the services throw. */
function refused(r: ImportRefusal): AppError {
  return new AppError('bad_request', r.message, { reason: r.reason });
}

/**
 * Decodes text that arrived as bytes without a file (standard input) by the same rules as a file
 * import: the one decoder, binary refused, line ends normalised.
 */
export function decodeText(bytes: Uint8Array, name = 'The input'): string {
  const r = textImport(`${name}.txt`, bytes);
  if (!r.ok) throw refused(r.reason === 'binary' ? { ...r, message: `${name} looks like binary data, not text.` } : r);
  return r.body;
}

/** Reads a .txt/.md file into a title and body, with clear errors for missing, huge or binary files. */
export function readTextFile(file: string): { title: string; body: string } {
  const early = refuseBeforeReading(file, 0);
  if (early) throw refused(early);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AppError('not_found', `${file} does not exist.`);
  }
  if (!stat.isFile()) throw new AppError('bad_request', `${file} is not a file.`);
  const tooBig = refuseBeforeReading(file, stat.size);
  if (tooBig) throw refused(tooBig);
  const r = textImport(file, fs.readFileSync(file));
  if (!r.ok) throw refused(r);
  return { title: r.title, body: r.body };
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
