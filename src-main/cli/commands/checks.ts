import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CheckDetail } from '../../checks';
import { CliError, printRows } from '../output';
import { globalOptions, withCaller } from '../with-app';
import { runJobToEnd } from '../run-job';

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * `palimpsest checks run|list|show|export|report`: stored detection checks, as in the Detect view
 * (the active calibration profile applies; results are kept in the data folder), through the same
 * API procedures as the UI (`withCaller`). For one-off scoring without storing anything, use
 * `palimpsest detect`.
 */
export function registerChecks(program: Command): void {
  const checks = program
    .command('checks')
    .description('Detection checks stored in the app: run, list, show, export CSV, HTML report');

  checks
    .command('run <paths...>')
    .description('Check files or folders (.txt, .md, .docx, .pdf) as a resumable batch job')
    .option('-n, --name <name>', 'name of the check (default: from the files)')
    .action(async (paths: string[], opts: { name?: string }, cmd: Command) => {
      await withCaller(cmd, async (api, app) => {
        const { check, job } = await api.checks.startBatch({
          paths: paths.map((p) => path.resolve(p)),
          ...(opts.name ? { name: opts.name } : {}),
        });
        await runJobToEnd(app, job.id, 'Checking');
        const done = await api.checks.get({ id: check.id });
        printCheck(done, globalOptions(cmd).json);
        // As `detect`: exit 1 when nothing could be checked (the errors are in the table above).
        if (done.total > 0 && done.failed === done.total)
          throw new CliError(
            done.total === 1 ? 'The file could not be checked.' : `None of the ${done.total} files could be checked.`,
          );
      });
    });

  checks
    .command('list')
    .description('Recent checks, newest first')
    .action(async (_opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const rows = await api.checks.list();
        const json = globalOptions(cmd).json;
        printRows(
          json
            ? rows
            : rows.map((c) => ({
                id: c.id,
                name: c.name,
                documents: c.total,
                status: c.status,
                calibration: c.profileName ?? 'default',
                created: new Date(c.createdAt).toISOString().slice(0, 16).replace('T', ' '),
              })),
          json,
        );
      });
    });

  checks
    .command('show <id>')
    .description('One row per document of a check')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => printCheck(await api.checks.get({ id }), globalOptions(cmd).json));
    });

  checks
    .command('export <id> <file>')
    .description('Write a check as CSV (one row per document)')
    .action(async (id: string, file: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) =>
        writeOut(file, (await api.checks.exportCsv({ id })).csv, globalOptions(cmd).json),
      );
    });

  checks
    .command('report <id> <file>')
    .description('Write a self-contained HTML report (open it in a browser and print to PDF)')
    .option('-p, --position <n>', 'only this document of the check (0-based, as in `checks show`)')
    .action(async (id: string, file: string, opts: { position?: string }, cmd: Command) => {
      const position = opts.position === undefined ? undefined : Number(opts.position);
      if (position !== undefined && !(Number.isInteger(position) && position >= 0))
        throw new CliError('--position must be a whole number.', 2);
      await withCaller(cmd, async (api) =>
        writeOut(file, (await api.checks.report({ id, position })).html, globalOptions(cmd).json),
      );
    });
}

function printCheck(check: CheckDetail, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(JSON.stringify(check, null, 2) + '\n');
    return;
  }
  process.stdout.write(
    `${check.name} (${check.id}) · ${check.status} · calibration: ${check.profileName ?? 'default'}\n\n`,
  );
  printRows(
    check.items.map((i) => {
      const r = i.result;
      if (!r)
        return {
          '#': i.position,
          document: i.source,
          verdict: i.error ? 'ERROR' : 'pending',
          'AI likelihood': '',
          involvement: '',
        };
      return {
        '#': i.position,
        document: i.source,
        verdict: r.abstained ? 'no verdict' : r.verdict === 'llm' ? `llm (${r.role})` : r.verdict,
        'AI likelihood': r.abstained
          ? ''
          : `${pct(r.ai_probability)} [${pct(r.confidence_band[0])}–${pct(r.confidence_band[1])}]`,
        involvement: r.abstained || r.verdict !== 'llm' ? '' : pct(r.involvement),
      };
    }),
    false,
  );
  // Caveats and errors in full, below the table (a table column would cut them short).
  process.stdout.write('\n');
  for (const i of check.items) {
    const note = i.result?.caveat ?? i.error?.userMessage;
    if (note) process.stdout.write(`#${i.position} ${path.basename(i.source)}: ${note}\n`);
  }
}

function writeOut(file: string, content: string, json: boolean | undefined): void {
  const target = path.resolve(file);
  if (!fs.existsSync(path.dirname(target))) throw new CliError(`The folder ${path.dirname(target)} does not exist.`);
  fs.writeFileSync(target, content);
  process.stdout.write(json ? JSON.stringify({ file: target }) + '\n' : `Wrote ${target}\n`);
}
