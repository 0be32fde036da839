import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { Command } from 'commander';
import type { AddJobResult, Retriever, SearchHit } from '../../library/common/contract';
import { RETRIEVERS } from '../../library/common/contract';
import { CliError, describeError, printRows } from '../output';
import { runJobToEnd } from '../run-job';
import { globalOptions, withCaller, type LocalCaller } from '../with-app';
import { jsonlLines } from './detect-jsonl-lines';

/** Longest query line read from --input (a 100 KB query fits; longer lines get an error and are skipped). */
const MAX_QUERY_LINE_BYTES = 1024 * 1024;

interface SearchOptions {
  retriever?: string;
  k?: string;
  input?: string;
  output?: string;
}

/** `palimpsest library add|list|search` (the index); returns the group for the curation commands. */
export function registerLibrary(program: Command): Command {
  const library = program.command('library').description('Reference library: add files, search passages, curate');

  library
    .command('add <paths...>')
    .description('Add files or folders (PDF, DOCX, HTML, Markdown, TXT, images) as a job; waits for it')
    .option('--folder <name>', 'folder label (default: the added folder’s name)')
    .option('--tag <tag...>', 'tags for every added file')
    .action(async (paths: string[], opts: { folder?: string; tag?: string[] }, cmd: Command) => {
      await withCaller(cmd, async (api, app) => {
        const { jobId } = await api.library.add({
          paths: paths.map((p) => path.resolve(p)),
          ...(opts.folder ? { folder: opts.folder } : {}),
          ...(opts.tag?.length ? { tags: opts.tag } : {}),
        });
        const result = await runJobToEnd<AddJobResult>(app, jobId, 'Adding');
        printAddResult(result, globalOptions(cmd).json);
        const total = result.added + result.updated + result.unchanged + result.failed;
        if (total > 0 && result.failed === total)
          throw new CliError(
            total === 1 ? 'The file could not be added.' : `None of the ${total} files could be added.`,
          );
        if (total === 0) throw new CliError('No library files found (PDF, DOCX, HTML, Markdown, TXT or images).');
      });
    });

  library
    .command('list')
    .description('Documents in the library')
    .option('--folder <name>', 'only this folder')
    .option('--tag <tag>', 'only documents with this tag')
    .action(async (opts: { folder?: string; tag?: string }, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const docs = await api.library.list({
          ...(opts.folder ? { folder: opts.folder } : {}),
          ...(opts.tag ? { tag: opts.tag } : {}),
        });
        const json = globalOptions(cmd).json;
        printRows(
          json
            ? docs
            : docs.map((d) => ({
                id: d.id,
                name: d.fileName,
                folder: d.folder,
                kind: d.kind,
                pages: d.pages ?? '',
                chunks: d.chunks,
                tags: d.tags.join(', '),
              })),
          json,
        );
      });
    });

  library
    .command('search [query]')
    .description('Search passages; or a whole query file with --input Q.jsonl --output R.jsonl')
    .option('--retriever <name>', `${RETRIEVERS.join('|')} (default hybrid)`)
    .option('--k <n>', 'results per query (default 10; 100 with --input)')
    .option('--input <file>', 'JSONL of {"id","query"} lines')
    .option('--output <file>', 'JSONL of {"id","results":[{"doc","chunk","score","page","start","end"}]} lines')
    .action(async (query: string | undefined, opts: SearchOptions, cmd: Command) => {
      const retriever = parseRetriever(opts.retriever);
      if (opts.input !== undefined || opts.output !== undefined) {
        if (query !== undefined) throw new CliError('Give either a QUERY or --input/--output, not both.', 2);
        if (!opts.input || !opts.output) throw new CliError('--input and --output go together.', 2);
        if (!existsSync(opts.input) || !statSync(opts.input).isFile())
          throw new CliError(`Input file not found: ${opts.input}`, 2);
        const k = parseK(opts.k, 100);
        await withCaller(cmd, (api) => searchFile(api, opts.input!, opts.output!, retriever, k));
        return;
      }
      if (query === undefined || !query.trim()) throw new CliError('The query is empty: give the text to look for.', 2);
      const k = parseK(opts.k, 10);
      await withCaller(cmd, async (api) => {
        const result = await api.library.search({ query, retriever, k });
        for (const n of result.notices) process.stderr.write(`note: ${n}\n`);
        if (globalOptions(cmd).json) {
          process.stdout.write(JSON.stringify(result, null, 2) + '\n');
          return;
        }
        printRows(
          result.hits.map((h) => ({
            rank: h.rank,
            score: Number(h.score.toFixed(4)),
            doc: h.doc,
            chunk: h.chunk,
            page: h.page ?? '',
            passage: (h.heading ? `[${h.heading}] ` : '') + h.text,
          })),
          false,
        );
      });
    });

  return library;
}

function parseRetriever(value: string | undefined): Retriever {
  if (value === undefined) return 'hybrid';
  if (!(RETRIEVERS as readonly string[]).includes(value))
    throw new CliError(`Unknown retriever "${value}": use ${RETRIEVERS.join(', ')}.`, 2);
  return value as Retriever;
}

function parseK(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1 || k > 1000) throw new CliError('--k must be a whole number from 1 to 1000.', 2);
  return k;
}

function printAddResult(r: AddJobResult, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return;
  }
  process.stdout.write(`Added ${r.added}, updated ${r.updated}, unchanged ${r.unchanged}, failed ${r.failed}.\n`);
  for (const f of r.files) {
    if (f.status === 'failed') process.stdout.write(`  FAILED ${f.file}: ${f.error}\n`);
    else if (f.notices?.length) process.stdout.write(`  ${f.file}: ${f.notices.join(' ')}\n`);
  }
}

const toResult = (h: SearchHit) => ({
  doc: h.doc,
  chunk: h.chunk,
  score: h.score,
  page: h.page,
  start: h.start,
  end: h.end,
});

/** One output line per input line, in order; a bad line gets an "error" field and the rest go on. */
async function searchFile(
  api: LocalCaller,
  input: string,
  output: string,
  retriever: Retriever,
  k: number,
): Promise<void> {
  const out = createWriteStream(output);
  const write = async (obj: unknown) => {
    if (!out.write(JSON.stringify(obj) + '\n')) await once(out, 'drain');
  };
  let lines = 0;
  let errors = 0;
  const noticed = new Set<string>();
  for await (const line of jsonlLines(createReadStream(input), MAX_QUERY_LINE_BYTES)) {
    if (line.text !== null && !line.text.trim()) continue;
    lines++;
    let id: unknown = null;
    try {
      if (line.text === null)
        throw new CliError(`Line ${line.lineNo} is longer than ${MAX_QUERY_LINE_BYTES / 1024} KB.`);
      let obj: unknown;
      try {
        obj = JSON.parse(line.text);
      } catch {
        throw new CliError(`Line ${line.lineNo} is not valid JSON.`);
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
        throw new CliError(`Line ${line.lineNo} is not a JSON object.`);
      const rec = obj as Record<string, unknown>;
      id = rec.id ?? null;
      if (typeof rec.query !== 'string') throw new CliError('"query" must be a string.');
      if (!rec.query.trim()) throw new CliError('The query is empty.');
      const result = await api.library.search({ query: rec.query, retriever, k });
      for (const n of result.notices) {
        if (noticed.has(n)) continue;
        noticed.add(n);
        process.stderr.write(`note: ${n}\n`);
      }
      await write({ id, results: result.hits.map(toResult) });
    } catch (e) {
      errors++;
      await write({ id, results: [], error: describeError(e) });
    }
  }
  out.end();
  await once(out, 'finish');
  process.stderr.write(`${lines} queries, ${errors} errors → ${output}\n`);
}
