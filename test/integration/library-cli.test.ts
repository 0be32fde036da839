import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocx, makePdf } from '../../src-main/library/test-fixtures';
import { cliPath, repoRoot, tempDir } from '../helpers/temp-dir';

// The built CLI (`npm test` builds it first; ~0.5 s a run), else the sources through tsx (~5 s a run).
const built = fs.existsSync(path.join(repoRoot, 'out', 'cli', 'main.js'));
const entry = built ? [cliPath] : ['--import', 'tsx', path.join(repoRoot, 'src-main', 'cli', 'main.ts')];
let dir: string;
let dataDir: string;
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [...entry, '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    cwd: repoRoot,
    timeout: 90_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  dir = tempDir('palimpsest-library-cli-');
  dataDir = path.join(dir, 'data');
  const refs = path.join(dir, 'corpus');
  fs.mkdirSync(path.join(refs, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(refs, 'comets.txt'), 'Comets grow bright tails of gas and dust near the sun.\n');
  fs.writeFileSync(path.join(refs, 'sub', 'reefs.md'), '# Reefs\n\nCoral reefs bleach when the sea grows too warm.\n');
  fs.writeFileSync(
    path.join(refs, 'deserts.pdf'),
    await makePdf([['Sand dunes migrate with the prevailing wind.'], ['Cacti store water in thick stems.']]),
  );
  fs.writeFileSync(
    path.join(refs, 'rivers.docx'),
    await makeDocx({ heading: 'Rivers', paragraphs: ['Meandering rivers leave oxbow lakes behind.'] }),
  );
  fs.writeFileSync(path.join(refs, 'skip.bin'), 'not listed: unknown type inside a folder');
}, 30_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('palimpsest library (real CLI)', () => {
  it('add → list → search → search --input', () => {
    const add = cli(['library', 'add', path.join(dir, 'corpus')]);
    expect(add.code, add.err).toBe(0);
    expect(add.out).toContain('Added 4, updated 0, unchanged 0, failed 0.');

    const again = cli(['--json', 'library', 'add', path.join(dir, 'corpus')]);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ added: 0, unchanged: 4, failed: 0 });

    const list = cli(['--json', 'library', 'list']);
    expect(list.code, list.err).toBe(0);
    const docs = JSON.parse(list.out) as Array<{ fileName: string; folder: string; pages: number | null }>;
    expect(docs.map((d) => d.fileName).sort()).toEqual(['comets.txt', 'deserts.pdf', 'reefs.md', 'rivers.docx']);
    expect(docs.every((d) => d.folder === 'corpus')).toBe(true);
    expect(docs.find((d) => d.fileName === 'deserts.pdf')!.pages).toBe(2);

    const one = cli(['--json', 'library', 'search', 'cactus water stems', '--retriever', 'bm25', '--k', '3']);
    expect(one.code, one.err).toBe(0);
    const res = JSON.parse(one.out) as { hits: Array<{ doc: string; page: number | null }> };
    expect(res.hits[0]).toMatchObject({ doc: 'deserts.pdf', page: 2 });

    const human = cli(['library', 'search', 'coral reef bleaching']);
    expect(human.code, human.err).toBe(0);
    expect(human.out.split('\n')[2]).toContain('reefs.md');

    const q = path.join(dir, 'q.jsonl');
    const r = path.join(dir, 'r.jsonl');
    fs.writeFileSync(
      q,
      [
        JSON.stringify({ id: 'q1', query: 'oxbow lakes' }),
        '{broken',
        JSON.stringify({ id: 'q3', query: '' }),
        JSON.stringify({ id: 7, query: 'comet tails of dust ' + 'x'.repeat(100_000) }),
        JSON.stringify({ id: 'q5', query: 'dunes wind' }),
      ].join('\n') + '\n',
    );
    const batch = cli(['library', 'search', '--input', q, '--output', r, '--k', '100']);
    expect(batch.code, batch.err).toBe(0);
    const out = fs
      .readFileSync(r, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: unknown; results: Array<Record<string, unknown>>; error?: string });
    expect(out.map((o) => o.id)).toEqual(['q1', null, 'q3', 7, 'q5']);
    expect(out[0]!.results[0]).toMatchObject({ doc: 'rivers.docx', chunk: 0, page: null });
    expect(Object.keys(out[0]!.results[0]!).sort()).toEqual(['chunk', 'doc', 'end', 'page', 'score', 'start']);
    expect(out[1]!.error).toMatch(/not valid JSON/);
    expect(out[2]!.error).toMatch(/empty/);
    expect(out[3]!.results[0]).toMatchObject({ doc: 'comets.txt' });
    expect(out[4]!.results[0]).toMatchObject({ doc: 'deserts.pdf', page: 1 });
    const scores = out[0]!.results.map((x) => x.score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  }, 120_000);

  it('usage errors exit 2; a missing file fails with 1', () => {
    expect(cli(['library', 'search', '']).code).toBe(2);
    const bad = cli(['library', 'search', 'x', '--retriever', 'magic']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Unknown retriever "magic"');
    expect(cli(['library', 'search', 'x', '--k', '0']).code).toBe(2);
    expect(
      cli(['library', 'search', '--input', path.join(dir, 'nope.jsonl'), '--output', path.join(dir, 'o.jsonl')]).code,
    ).toBe(2);
    const missing = cli(['library', 'add', path.join(dir, 'does-not-exist.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('File not found');
  }, 60_000);
});
