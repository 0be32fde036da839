import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, tempDir } from '../helpers/temp-dir';

function cli(args: string[], input?: string, timeout?: number) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', input, timeout });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('palimpsest CLI', () => {
  it('has --help on every command', () => {
    for (const args of [[], ['docs'], ['docs', 'import'], ['docs', 'export'], ['serve'], ['jobs']]) {
      const r = cli([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toMatch(/Usage: palimpsest/);
    }
  });

  it('exits 2 with a usage message for unknown commands and missing arguments', () => {
    const unknown = cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command/);
    const missing = cli(['docs', 'export']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing required argument/);
  });

  it('imports, lists (--json), shows and exports documents', () => {
    const data = tempDir();
    const src = tempDir();
    fs.writeFileSync(path.join(src, 'notes.md'), '# Field notes\n\nThe river was high.\n');
    fs.writeFileSync(path.join(src, 'plain.txt'), 'Just text.');
    fs.writeFileSync(path.join(src, 'ignored.bin'), Buffer.from([0, 1, 2]));
    const imp = cli(['--data-dir', data, 'docs', 'import', src]);
    expect(imp.code, imp.err).toBe(0);
    expect(imp.out).toMatch(/Imported 2 document/);

    const list = cli(['--data-dir', data, '--json', 'docs', 'list']);
    const rows = JSON.parse(list.out) as Array<{ id: string; title: string }>;
    expect(rows.map((r) => r.title).sort()).toEqual(['Field notes', 'plain']);

    const id = rows.find((r) => r.title === 'plain')!.id;
    expect(cli(['--data-dir', data, 'docs', 'show', id]).out).toBe('Just text.\n');
    const out = path.join(tempDir(), 'out.txt');
    expect(cli(['--data-dir', data, 'docs', 'export', id, out]).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe('Just text.\n');

    expect(cli(['--data-dir', data, 'docs', 'delete', id]).code).toBe(0);
    expect(JSON.parse(cli(['--data-dir', data, '--json', 'docs', 'list']).out)).toHaveLength(1);
    expect(cli(['--data-dir', data, 'docs', 'restore', id]).code).toBe(0);
    expect(JSON.parse(cli(['--data-dir', data, '--json', 'docs', 'list']).out)).toHaveLength(2);
  });

  it('fails clearly on a missing file, an unknown id, a binary file and an unwritable folder', () => {
    const data = tempDir();
    const missing = cli(['--data-dir', data, 'docs', 'import', '/no/such/file.txt']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/does not exist/);

    const unknown = cli(['--data-dir', data, 'docs', 'show', 'doc_nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/Document doc_nope does not exist/);

    const bin = path.join(tempDir(), 'x.txt');
    fs.writeFileSync(bin, Buffer.from([0x50, 0, 0, 0, 1]));
    const binary = cli(['--data-dir', data, 'docs', 'import', bin]);
    expect(binary.code).toBe(1);
    expect(binary.err).toMatch(/binary/);

    const doc = cli(['--data-dir', data, '--json', 'docs', 'create', '--title', 'T'], 'body');
    const { id } = JSON.parse(doc.out) as { id: string };
    const noDir = cli(['--data-dir', data, 'docs', 'export', id, '/no/such/dir/out.txt']);
    expect(noDir.code).toBe(1);
    expect(noDir.err).toMatch(/does not exist/);

    const fileAsDir = path.join(tempDir(), 'file');
    fs.writeFileSync(fileAsDir, '');
    const badData = cli(['--data-dir', path.join(fileAsDir, 'x'), 'docs', 'list']);
    expect(badData.code).toBe(1);
    expect(badData.err).toMatch(/Cannot write to the data folder/);
  });

  it('decodes standard input like a file: binary refused, line ends normalised, empty accepted', () => {
    const data = tempDir();
    const binary = cli(['--data-dir', data, 'docs', 'create', '--title', 'B'], 'PK\u0003\u0004\u0000\u0000\u0000junk');
    expect(binary.code).toBe(1);
    expect(binary.err).toMatch(/Standard input looks like binary data/);
    const crlf = cli(['--data-dir', data, '--json', 'docs', 'create', '--title', 'C'], 'one\r\ntwo\r\n');
    expect(crlf.code, crlf.err).toBe(0);
    const { id } = JSON.parse(crlf.out) as { id: string };
    expect(cli(['--data-dir', data, 'docs', 'show', id]).out).toBe('one\ntwo\n');
    const empty = cli(['--data-dir', data, '--json', 'docs', 'create', '--title', 'T'], '');
    expect(JSON.parse(empty.out)).toMatchObject({ id: expect.stringMatching(/^doc_/), title: 'T' });
    expect(JSON.parse(cli(['--data-dir', data, '--json', 'docs', 'list']).out)).toHaveLength(2);
  });

  it('renames and updates a document, refuses a stale base revision, and prints info', () => {
    const data = tempDir();
    const { id, revision } = JSON.parse(
      cli(['--data-dir', data, '--json', 'docs', 'create', '--title', 'Draft'], 'First words.').out,
    ) as { id: string; revision: number };
    expect(cli(['--data-dir', data, 'docs', 'rename', id, 'Final']).out).toBe(`Renamed ${id} to "Final"\n`);
    const updated = cli(['--data-dir', data, '--json', 'docs', 'update', id], 'Better words.\n');
    expect(updated.code, updated.err).toBe(0);
    expect(JSON.parse(updated.out)).toMatchObject({ title: 'Final', body: 'Better words.\n' });
    expect(cli(['--data-dir', data, 'docs', 'show', id]).out).toBe('Better words.\n');
    const stale = cli(['--data-dir', data, 'docs', 'update', id, '--base-revision', String(revision)], 'Old view.');
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/changed elsewhere/);
    expect(cli(['--data-dir', data, 'docs', 'update', id, '--base-revision', 'x'], 'y').code).toBe(2);
    const info = JSON.parse(cli(['--data-dir', data, '--json', 'info']).out) as Record<string, unknown>;
    expect(info).toMatchObject({ apiVersion: 1, transport: 'local', dataDir: data });
    expect(info['schemaVersion']).toBeGreaterThan(0);
  });

  it('refuses a data folder it cannot create under /proc at once, instead of spinning', () => {
    if (!fs.existsSync('/proc/self')) return; // Linux only
    const r = cli(['--data-dir', '/proc/nope', 'jobs', 'list'], undefined, 15_000);
    expect(r.code).toBe(1); // null when the timeout killed it
    expect(r.err).toMatch(/Cannot write to the data folder \/proc\/nope: cannot create \/proc\/nope/);
  });

  it('loads no engine for a command that does not need one, and nothing from node_modules for --help', () => {
    const dir = tempDir();
    const log = path.join(dir, 'loaded.txt');
    // ESM resolutions (via a loader hook) and CommonJS requires (require.cache at exit) go to one list.
    fs.writeFileSync(
      path.join(dir, 'hook.mjs'),
      `import fs from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  fs.appendFileSync(process.env.LOADED_LOG, r.url + '\\n');
  return r;
}`,
    );
    fs.writeFileSync(
      path.join(dir, 'preload.cjs'),
      `require('node:module').register(require('node:url').pathToFileURL(${JSON.stringify(path.join(dir, 'hook.mjs'))}));
process.on('exit', () => require('node:fs').appendFileSync(process.env.LOADED_LOG, Object.keys(require.cache).join('\\n') + '\\n'));`,
    );
    const loaded = (args: string[]) => {
      fs.writeFileSync(log, '');
      const r = spawnSync(process.execPath, ['--require', path.join(dir, 'preload.cjs'), cliPath, ...args], {
        encoding: 'utf8',
        env: { ...process.env, LOADED_LOG: log },
      });
      expect(r.status, r.stderr).toBe(0);
      return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    };
    const data = tempDir();
    const jobsList = loaded(['--data-dir', data, 'jobs', 'list']);
    expect(jobsList.some((u) => u.includes('better-sqlite3'))).toBe(true); // the hook does see packages
    expect(jobsList.filter((u) => /onnxruntime|node-llama-cpp|mammoth|unpdf|tesseract/.test(u))).toEqual([]);
    expect(loaded(['--help']).filter((u) => u.includes('node_modules'))).toEqual([]);
  });

  // Defect 19: zod's `locales` namespace (~50 translations, half of the bundled zod) was parsed by
  // every API command; the build keeps English alone.
  it('bundles zod without its translations', () => {
    const chunks = path.join(path.dirname(cliPath), '..', 'out', 'cli', 'chunks');
    const code = fs
      .readdirSync(chunks)
      .filter((f) => f.endsWith('.js'))
      .map((f) => fs.readFileSync(path.join(chunks, f), 'utf8'))
      .join('\n');
    expect(code).toMatch(/zod[\\/]v4[\\/]locales[\\/]en\.js/);
    expect(code.match(/zod[\\/]v4[\\/]locales[\\/](?!en\.js)[\w-]+\.js/g) ?? []).toEqual([]);
  });
});
