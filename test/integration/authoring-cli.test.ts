import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/temp-dir';

// The CLI from source (tsx), so this runs without a build; the contract is the one the built bin keeps.
const entry = path.join(repoRoot, 'src-main', 'cli', 'main.ts');
function cli(args: string[], input = '') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    encoding: 'utf8',
    input,
    cwd: repoRoot,
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface ProvenanceJson {
  text: string;
  spans: Array<{ start: number; end: number; author: string; kind: string; operation: string }>;
  shares: Record<string, number>;
  role: string;
  involvement: number;
  events: number;
  head: string;
}

const line = (o: object) => JSON.stringify(o);

describe('palimpsest docs apply / provenance / verify / bundle / report', () => {
  it('keeps the scripted-edit contract end to end', () => {
    const data = tempDir();
    const created = cli(['--json', '--data-dir', data, 'docs', 'create', '--title', 'T']);
    expect(created.code, created.err).toBe(0);
    const { id } = JSON.parse(created.out) as { id: string };

    const edits = path.join(tempDir(), 'edits.jsonl');
    const at = 1_700_000_000_000;
    fs.writeFileSync(
      edits,
      [
        line({ author: 'Ann', kind: 'human', operation: 'insert', from: 0, to: 0, insert: 'Dear diary,\n\n', at }),
        line({
          author: 'gpt-3',
          kind: 'model',
          operation: 'suggestion-accept',
          from: 13,
          to: 13,
          insert: 'today was\tlong 😀',
          at: at + 1,
        }),
        line({ author: 'Ann', kind: 'human', operation: 'backspace', from: 27, to: 30, insert: '', at: at + 2 }),
        '',
        line({ author: 'Ann', kind: 'human', operation: 'type', from: 27, to: 27, insert: '!', at: at + 3 }),
      ].join('\n') + '\n',
    );
    const applied = cli(['--data-dir', data, '--json', 'docs', 'apply', id, '--edits', edits]);
    expect(applied.code, applied.err).toBe(0);
    expect(JSON.parse(applied.out)).toMatchObject({ applied: 4, head: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const prov = cli(['--data-dir', data, 'docs', 'provenance', id, '--json']);
    expect(prov.code, prov.err).toBe(0);
    const p = JSON.parse(prov.out) as ProvenanceJson;
    expect(Object.keys(p)).toEqual(['text', 'spans', 'shares', 'role', 'involvement', 'events', 'head']);
    expect(p.text).toBe('Dear diary,\n\ntoday was\tlong!');
    expect(p.spans).toEqual([
      { start: 0, end: 13, author: 'Ann', kind: 'human', operation: 'type' },
      { start: 13, end: 27, author: 'gpt-3', kind: 'model', operation: 'generate' },
      { start: 27, end: 28, author: 'Ann', kind: 'human', operation: 'type' },
    ]);
    expect(p.shares.Ann! + p.shares['gpt-3']!).toBeCloseTo(1);
    expect(p.role).toBe('extended');
    expect(p.events).toBe(4);
    expect(p.head).toBe(JSON.parse(applied.out).head);

    const verified = cli(['--data-dir', data, 'docs', 'verify', id]);
    expect(verified.code, verified.err).toBe(0);
    expect(verified.out).toMatch(/Intact: 4 events/);

    const bundle = path.join(tempDir(), 'out.json');
    expect(cli(['--data-dir', data, 'docs', 'bundle', id, bundle]).code).toBe(0);
    const noDb = cli(['verify', bundle]);
    expect(noDb.code, noDb.err).toBe(0);
    const tampered = fs.readFileSync(bundle, 'utf8').replace('today', 'todey');
    const bad = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(bad, tampered);
    const badRun = cli(['verify', bad]);
    expect(badRun.code).toBe(1);
    expect(badRun.err).toMatch(/Tampered: event 2 was changed/);

    for (const ext of ['html', 'pdf']) {
      const out = path.join(tempDir(), `r.${ext}`);
      const r = cli(['--data-dir', data, 'docs', 'report', id, out]);
      expect(r.code, r.err).toBe(0);
      expect(fs.readFileSync(out).includes(p.head)).toBe(true);
    }
    expect(cli(['--data-dir', data, 'docs', 'report', id, 'r.doc']).code).toBe(2);
  });

  it('a bad line stops with its line number and applies nothing; tampering makes docs verify exit 1', () => {
    const data = tempDir();
    const { id } = JSON.parse(cli(['--json', '--data-dir', data, 'docs', 'create', '--title', 'T']).out) as {
      id: string;
    };
    const edits = path.join(tempDir(), 'edits.jsonl');
    const ok = line({ author: 'Ann', kind: 'human', operation: 'type', from: 0, to: 0, insert: 'abc', at: 1 });
    const cases: Array<[string, RegExp]> = [
      [
        line({ author: 'Ann', kind: 'human', operation: 'type', from: 9, to: 9, insert: 'x', at: 2 }),
        /line 2: the range 9–9 is outside/,
      ],
      [
        line({ author: 'Ann', kind: 'human', operation: 'frobnicate', from: 0, to: 0, insert: 'x', at: 2 }),
        /line 2: unknown operation "frobnicate"/,
      ],
      [
        line({ author: 'Ann', kind: 'human', operation: 'type', from: 0, to: 0, insert: 'a\uD800', at: 2 }),
        /line 2: .*lone UTF-16 surrogate/,
      ],
      ['{not json', /line 2: not valid JSON/],
    ];
    for (const [second, message] of cases) {
      fs.writeFileSync(edits, [ok, second, ok].join('\n'));
      const r = cli(['--data-dir', data, 'docs', 'apply', id, '--edits', edits]);
      expect(r.code, second).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/nothing was applied/);
    }
    const p = JSON.parse(cli(['--data-dir', data, '--json', 'docs', 'provenance', id]).out) as ProvenanceJson;
    expect(p).toMatchObject({ text: '', events: 0 });

    fs.writeFileSync(edits, [ok, ok].join('\n'));
    expect(cli(['--data-dir', data, 'docs', 'apply', id, '--edits', edits]).code).toBe(0);
    // Tamper with the stored log directly.
    const db = new Database(path.join(data, 'palimpsest.db'));
    db.prepare("UPDATE contribution_events SET inserted = 'abd' WHERE seq = 2").run();
    db.close();
    const v = cli(['--data-dir', data, 'docs', 'verify', id]);
    expect(v.code).toBe(1);
    expect(v.err).toMatch(/Tampered: event 2 was changed after it was recorded/);
  });
});
