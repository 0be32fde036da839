import fs from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../output';
import { globalOptions, withCaller } from '../with-app';

/** A curation file larger than this is refused before reading (hand-curated logs are kilobytes). */
const MAX_CURATION_FILE_BYTES = 256 * 1024 * 1024;

/**
 * `palimpsest library curate --input EVENTS.jsonl`: feeds curation to the log (and so to
 * `library search --retriever personal`). Lines: {"query", "doc": SOURCE FILE NAME, "chunk"?,
 * "action": "pin"|"exclude"|"rate", "value"?}. Bad lines are reported with their line numbers and
 * the rest applied; exit 1 only when nothing could be applied.
 */
export function registerLibraryCurate(library: Command): void {
  library
    .command('curate')
    .description('Apply curation events (pin, exclude, rate passages) from a JSONL file to the log')
    .requiredOption(
      '-i, --input <file>',
      'JSONL: {"query","doc","chunk"?,"action":"pin"|"exclude"|"rate","value"?} a line',
    )
    .action(async (opts: { input: string }, cmd: Command) => {
      const lines = readLines(opts.input);
      await withCaller(cmd, async (api) => {
        const r = await api.library.curateLines({ lines });
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        else {
          for (const e of r.errors) process.stderr.write(`line ${e.line}: ${e.error}\n`);
          process.stdout.write(
            `Applied ${r.applied} of ${r.lines} curation event${r.lines === 1 ? '' : 's'}` +
              (r.errors.length ? `; ${r.errors.length} line${r.errors.length === 1 ? '' : 's'} skipped.\n` : '.\n'),
          );
        }
        if (r.applied === 0)
          throw new CliError(
            r.lines === 0 ? `${opts.input} has no curation events.` : 'No curation event could be applied.',
          );
      });
    });
}

function readLines(file: string): string[] {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new CliError(`Cannot read ${file}: no such file.`);
  }
  if (size > MAX_CURATION_FILE_BYTES)
    throw new CliError(`${file} is over ${MAX_CURATION_FILE_BYTES / 1024 / 1024} MB.`);
  return fs.readFileSync(file, 'utf8').split(/\r?\n/u);
}
