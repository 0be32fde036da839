import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, printRows } from '../output';
import { runJobToEnd } from '../run-job';
import { globalOptions, withCaller } from '../with-app';

/** The file rules, loaded only by the commands that read or write files. */
const textFiles = () => import('../../documents/text-files');

/**
 * `palimpsest docs list|show|import|export|create|rename|update|delete|restore`: each calls the documents API
 * procedure through the local caller, so input is validated and refused exactly as in the UI.
 */
export function registerDocs(program: Command): void {
  const docs = program.command('docs').description('List, import, export and manage documents');

  docs
    .command('list')
    .description('List documents, newest first')
    .option('-q, --query <text>', 'only documents whose title or text contains this')
    .option('--trash', 'list deleted documents instead')
    .action(async (opts: { query?: string; trash?: boolean }, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const rows = await api.documents.list({ query: opts.query, trash: opts.trash });
        const json = globalOptions(cmd).json;
        printRows(
          json
            ? rows
            : rows.map((r) => ({
                id: r.id,
                title: r.title,
                words: r.wordCount,
                updated: new Date(r.updatedAt).toISOString().slice(0, 16).replace('T', ' '),
              })),
          json,
        );
      });
    });

  docs
    .command('show <id>')
    .description('Print a document')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const doc = await api.documents.get({ id });
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
        else process.stdout.write(doc.body + (doc.body.endsWith('\n') ? '' : '\n'));
      });
    });

  docs
    .command('import <paths...>')
    .description('Import .txt/.md files, or every such file in a folder (runs as a resumable job)')
    .action(async (paths: string[], _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api, app) => {
        const job = await api.documents.importFiles({ paths: paths.map((p) => path.resolve(p)) });
        const result = await runJobToEnd<{ imported: number; errors: Array<{ file: string; error: string }> }>(
          app,
          job.id,
          'Importing',
        );
        const json = globalOptions(cmd).json;
        if (json) process.stdout.write(JSON.stringify(result) + '\n');
        else {
          process.stdout.write(`Imported ${result.imported} document(s).\n`);
          for (const e of result.errors) process.stderr.write(`  skipped ${e.file}: ${e.error}\n`);
        }
        if (result.imported === 0 && result.errors.length > 0) throw new CliError('Nothing was imported.');
      });
    });

  docs
    .command('export <id> <file>')
    .description('Write a document to a .txt or .md file')
    .action(async (id: string, file: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const doc = await api.documents.get({ id });
        const target = path.resolve(file);
        const [{ writeTextFile }, { exportText }] = await Promise.all([
          textFiles(),
          import('../../documents/common/text-export'),
        ]);
        writeTextFile(target, exportText(doc.title, doc.body, target));
        if (!globalOptions(cmd).json) process.stdout.write(`Wrote ${target}\n`);
        else process.stdout.write(JSON.stringify({ id, file: target }) + '\n');
      });
    });

  docs
    .command('create')
    .description('Create a document (text from --file or standard input)')
    .option('-t, --title <title>', 'title', 'Untitled')
    .option('-f, --file <file>', 'read the text from a file')
    .action(async (opts: { title: string; file?: string }, cmd: Command) => {
      // Piped text goes through the same decoder as a file: binary refused, line ends normalised.
      const { readTextFile, decodeText } = await textFiles();
      const body = opts.file
        ? readTextFile(path.resolve(opts.file)).body
        : process.stdin.isTTY
          ? ''
          : decodeText(fs.readFileSync(0), 'Standard input');
      await withCaller(cmd, async (api) => {
        const doc = await api.documents.create({
          title: opts.title,
          body,
          operation: opts.file ? 'import' : 'paste',
        });
        process.stdout.write((globalOptions(cmd).json ? JSON.stringify(doc) : doc.id) + '\n');
      });
    });

  docs
    .command('rename <id> <title>')
    .description('Give a document a new title')
    .action(async (id: string, title: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const doc = await api.documents.rename({ id, title });
        process.stdout.write(
          (globalOptions(cmd).json ? JSON.stringify(doc, null, 2) : `Renamed ${id} to "${doc.title}"`) + '\n',
        );
      });
    });

  docs
    .command('update <id>')
    .description("Replace a document's text (from --file or standard input) as a new revision")
    .option('-f, --file <file>', 'read the text from a file')
    .option('--base-revision <n>', 'the revision the new text was written against (default: the current one)')
    .action(async (id: string, opts: { file?: string; baseRevision?: string }, cmd: Command) => {
      const { readTextFile, decodeText } = await textFiles();
      const body = opts.file
        ? readTextFile(path.resolve(opts.file)).body
        : decodeText(fs.readFileSync(0), 'Standard input');
      const base = opts.baseRevision === undefined ? undefined : Number(opts.baseRevision);
      if (base !== undefined && !(Number.isInteger(base) && base >= 0))
        throw new CliError('--base-revision must be a whole number of 0 or more.', 2);
      await withCaller(cmd, async (api) => {
        // Without --base-revision the edit is against what is stored now (no concurrent editor to guard).
        const baseRevision = base ?? (await api.documents.get({ id })).revision;
        const doc = await api.documents.update({ id, body, baseRevision });
        process.stdout.write(
          (globalOptions(cmd).json ? JSON.stringify(doc, null, 2) : `Updated ${id} (revision ${doc.revision})`) + '\n',
        );
      });
    });

  docs
    .command('delete <id>')
    .description('Move a document to the trash (undo with restore)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        await api.documents.delete({ id });
        process.stdout.write(`Moved ${id} to the trash. Undo: palimpsest docs restore ${id}\n`);
      });
    });

  docs
    .command('restore <id>')
    .description('Restore a document from the trash')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        await api.documents.restore({ id });
        process.stdout.write(`Restored ${id}\n`);
      });
    });
}
