import fs from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import { runCli } from '../../../src-main/cli/main';
import { tempDir } from '../temp-dir';
import type { CallResult, Transport } from './transport';

type Input = Record<string, unknown> | undefined;

/** One CLI invocation per procedure: the arguments after `--json`, and how to read its stdout. */
interface CommandMapping {
  args(input: Input, scratch: string): string[];
  /** The procedure's data from stdout; `run` lets a mapping ask a second command (jobs list). */
  read?(stdout: string, run: (args: string[]) => Promise<string>): Promise<unknown> | unknown;
}

const str = (input: Input, key: string) => String(input?.[key] ?? '');
const json = (stdout: string) => JSON.parse(stdout) as unknown;

/**
 * Procedures the CLI carries, mapped to commands. Absent ones (jobs.get) have no command, and the
 * suite skips them for the CLI.
 */
const COMMANDS: Record<string, CommandMapping> = {
  'documents.create': {
    // Standard input is not the test's to feed in-process, so the text goes through --file.
    args: (input, scratch) => {
      const file = path.join(scratch, `body-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
      fs.writeFileSync(file, str(input, 'body'));
      return ['docs', 'create', '--title', str(input, 'title'), '--file', file];
    },
    read: json,
  },
  'documents.list': {
    args: (input) => [
      'docs',
      'list',
      ...(input?.query !== undefined ? ['--query', str(input, 'query')] : []),
      ...(input?.trash ? ['--trash'] : []),
    ],
    read: json,
  },
  'documents.get': { args: (input) => ['docs', 'show', str(input, 'id')], read: json },
  'documents.rename': { args: (input) => ['docs', 'rename', str(input, 'id'), str(input, 'title')], read: json },
  'documents.update': {
    args: (input, scratch) => {
      const file = path.join(scratch, `update-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
      fs.writeFileSync(file, str(input, 'body'));
      return ['docs', 'update', str(input, 'id'), '--file', file, '--base-revision', str(input, 'baseRevision')];
    },
    read: json,
  },
  'system.info': { args: () => ['info'], read: json },
  'documents.delete': { args: (input) => ['docs', 'delete', str(input, 'id')] },
  'documents.restore': { args: (input) => ['docs', 'restore', str(input, 'id')] },
  'documents.importFiles': {
    args: (input) => ['docs', 'import', ...((input?.paths as string[] | undefined) ?? [])],
    // The command runs the job to the end; the procedure returns the job, so read it back.
    read: async (_stdout, run) => (JSON.parse(await run(['jobs', 'list'])) as unknown[])[0],
  },
  'jobs.list': { args: () => ['jobs', 'list'], read: json },
  'jobs.cancel': { args: (input) => ['jobs', 'cancel', str(input, 'id')] },
};

/**
 * The CLI, run in-process (`runCli`, the function bin/palimpsest.js calls) so it tests the source
 * without a build and without a process start per call. Failures are the exit status and the
 * one line on stderr after `palimpsest: `.
 */
export async function cliTransport(): Promise<Transport> {
  const dataDir = tempDir();
  const scratch = tempDir();
  const exec = async (args: string[]) => {
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out += String(c);
      return true;
    });
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      err += String(c);
      return true;
    });
    try {
      const code = await runCli(['--data-dir', dataDir, '--json', ...args]);
      return { code, out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  };
  const run = async (args: string[]) => {
    const r = await exec(args);
    if (r.code !== 0) throw new Error(`palimpsest ${args.join(' ')} exited ${r.code}: ${r.err}`);
    return r.out;
  };
  return {
    name: 'CLI',
    contextName: 'local',
    supports: (p) => p in COMMANDS,
    // Every refused or failed request exits 1; 2 is only for command lines commander rejects.
    failureCode: () => 'exit 1',
    async call(procedure, input): Promise<CallResult> {
      const mapping = COMMANDS[procedure];
      if (!mapping) throw new Error(`The CLI has no command for ${procedure}`);
      const r = await exec(mapping.args(input as Input, scratch));
      if (r.code !== 0) {
        const line = r.err.trim().split('\n').at(-1) ?? '';
        return { ok: false, code: `exit ${r.code}`, message: line.replace(/^palimpsest: /, '') };
      }
      return { ok: true, data: mapping.read ? await mapping.read(r.out, run) : null };
    },
    close: async () => undefined,
  };
}
