import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../output';
import { globalOptions, withCaller } from '../with-app';
import { readEditsFile } from './authoring-edits-file';

/**
 * Scripted co-authoring: `docs apply|provenance|verify|bundle|report` (through the authoring API
 * procedures) and the top-level `verify BUNDLE.json`, which needs no database.
 */
export function registerAuthoring(program: Command): void {
  const docs = program.commands.find((c) => c.name() === 'docs');
  if (!docs) throw new TypeError('registerAuthoring needs the docs group registered first.');

  docs
    .command('apply <id>')
    .description(
      'Apply edits from a JSONL file, all or nothing (one {"author","kind","operation","from","to","insert","at"} per line)',
    )
    .requiredOption('--edits <file>', 'the JSONL file of edits')
    .action(async (id: string, opts: { edits: string }, cmd: Command) => {
      const file = path.resolve(opts.edits);
      const { edits, lines } = await readEditsFile(file);
      await withCaller(cmd, async (api) => {
        let result: { applied: number; head: string; revision: number };
        try {
          result = await api.authoring.applyEdits({ documentId: id, edits });
        } catch (e) {
          throw withLineNumber(e, lines);
        }
        if (globalOptions(cmd).json) {
          process.stdout.write(
            JSON.stringify({ applied: result.applied, head: result.head, revision: result.revision }) + '\n',
          );
        } else process.stdout.write(`Applied ${result.applied} edit(s) to ${id}. Head ${result.head}\n`);
      });
    });

  docs
    .command('provenance <id>')
    .description("Who wrote each character: spans, shares per author, role, involvement and the log's head")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const p = await api.authoring.provenance({ documentId: id });
        if (globalOptions(cmd).json) {
          const out = {
            text: p.text,
            spans: p.spans.map((s) => ({
              start: s.start,
              end: s.end,
              author: s.author,
              kind: s.kind,
              operation: s.operation,
            })),
            shares: p.shares,
            role: p.role,
            involvement: p.involvement,
            events: p.events,
            head: p.head,
          };
          process.stdout.write(JSON.stringify(out) + '\n');
          return;
        }
        const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
        process.stdout.write(`Role: ${p.role} · LLM involvement ${pct(p.involvement)} · ${p.events} events\n`);
        for (const [name, share] of Object.entries(p.shares)) process.stdout.write(`  ${name}: ${pct(share)}\n`);
        for (const [op, share] of Object.entries(p.operationShares)) process.stdout.write(`  (${op}: ${pct(share)})\n`);
        process.stdout.write(`Head ${p.head}\n`);
      });
    });

  docs
    .command('verify <id>')
    .description("Check the document's hash-chained edit log (exit 0 intact, 1 tampered)")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => report(await api.authoring.verify({ documentId: id }), cmd));
    });

  docs
    .command('bundle <id> <file>')
    .description(
      'Write a self-contained provenance bundle (JSON) that `palimpsest verify FILE` checks without the database',
    )
    .action(async (id: string, file: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const bundle = await api.authoring.bundle({ documentId: id });
        const target = path.resolve(file);
        writeFile(target, JSON.stringify(bundle, null, 1) + '\n');
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify({ file: target, head: bundle.head }) + '\n');
        else process.stdout.write(`Wrote ${target} (${bundle.events.length} events, head ${bundle.head})\n`);
      });
    });

  docs
    .command('report <id> <file>')
    .description('Write the provenance report as OUT.html or OUT.pdf')
    .action(async (id: string, file: string, _opts: unknown, cmd: Command) => {
      const ext = path.extname(file).toLowerCase();
      if (ext !== '.html' && ext !== '.pdf') throw new CliError('The report file must end in .html or .pdf.', 2);
      await withCaller(cmd, async (api) => {
        const r = await api.authoring.report({ documentId: id, format: ext === '.pdf' ? 'pdf' : 'html' });
        const target = path.resolve(file);
        writeFile(target, Buffer.from(r.base64, 'base64'));
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify({ file: target }) + '\n');
        else process.stdout.write(`Wrote ${target}\n`);
      });
    });

  program
    .command('verify <bundle>')
    .description('Check a provenance bundle (from `docs bundle`) on its own: exit 0 intact, 1 tampered')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      let value: unknown;
      try {
        value = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
      } catch (e) {
        const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
        throw new CliError(missing ? `${file} does not exist.` : `${file} is not a JSON provenance bundle.`);
      }
      // No database: the pure verifier with node:crypto's sha256.
      const [{ verifyBundle }, { createHash }] = await Promise.all([
        import('../../authoring/common/bundle'),
        import('node:crypto'),
      ]);
      const result = verifyBundle((s) => createHash('sha256').update(s, 'utf8').digest('hex'), value);
      report(result, cmd);
    });
}

/** Prints a verify result; a failed one exits 1 naming the first bad event. */
function report(
  r: { ok: boolean; events: number; head: string; firstBad?: { seq: number; reason: string } },
  cmd: Command,
): void {
  if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(r) + '\n');
  else if (r.ok) process.stdout.write(`Intact: ${r.events} events chain and replay to the text. Head ${r.head}\n`);
  if (!r.ok) throw new CliError(`Tampered: ${r.firstBad?.reason ?? 'the log does not verify'}.`);
}

function writeFile(target: string, data: string | Buffer): void {
  try {
    fs.writeFileSync(target, data);
  } catch (e) {
    throw new CliError(`Cannot write ${target}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
  }
}

/** A service error about edit N becomes one about the file's line. */
function withLineNumber(e: unknown, lines: readonly number[]): unknown {
  const cause = (e as { cause?: { details?: { index?: unknown }; userMessage?: unknown } }).cause;
  const index = cause?.details?.index;
  if (typeof index === 'number' && typeof cause?.userMessage === 'string' && lines[index] !== undefined) {
    return new CliError(
      `line ${lines[index]}: ${cause.userMessage.replace(/^Edit \d+: /, '').replace(/\.$/, '')}; nothing was applied.`,
    );
  }
  return e;
}
