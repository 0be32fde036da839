import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/temp-dir';

// The real CLI from source (tsx), as authoring-cli.test.ts runs it: the same contract the built bin keeps.
const entry = path.join(repoRoot, 'src-main', 'cli', 'main.ts');
function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    encoding: 'utf8',
    cwd: repoRoot,
    timeout: 90_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('palimpsest library curate', () => {
  it('applies good lines, reports bad ones by number, exits 1 only when nothing applies, and feeds --retriever personal', () => {
    const data = tempDir();
    const docs = path.join(tempDir(), 'docs');
    fs.mkdirSync(docs);
    // Two documents that match "bank" equally; the writer wants the river one.
    fs.writeFileSync(
      path.join(docs, 'money.txt'),
      'The bank lends money. A bank account earns interest on savings and loans.',
    );
    fs.writeFileSync(
      path.join(docs, 'river.txt'),
      'The river bank was muddy. Reeds grew along the bank where the water ran slow.',
    );
    const added = cli(['--data-dir', data, 'library', 'add', docs]);
    expect(added.code, added.err).toBe(0);

    const events = path.join(tempDir(), 'events.jsonl');
    fs.writeFileSync(
      events,
      [
        JSON.stringify({ query: 'bank', doc: 'river.txt', action: 'pin' }),
        JSON.stringify({ query: 'bank', doc: 'money.txt', chunk: 0, action: 'exclude' }),
        '{"query": "bank", "doc": "missing.txt", "action": "pin"}',
        '{oops',
        JSON.stringify({ query: 'bank', doc: 'river.txt', action: 'rate', value: 5 }),
      ].join('\n') + '\n',
    );
    const r = cli(['--data-dir', data, 'library', 'curate', '--input', events]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Applied 3 of 5 curation events; 2 lines skipped/);
    expect(r.err).toMatch(/line 3: .*missing\.txt/);
    expect(r.err).toMatch(/line 4: not valid JSON/);

    const s = cli(['--data-dir', data, '--json', 'library', 'search', 'bank', '--retriever', 'personal']);
    expect(s.code, s.err).toBe(0);
    const out = JSON.parse(s.out) as {
      retriever: string;
      hits: Array<{ doc: string; pinned: boolean; rating: number | null }>;
    };
    expect(out.retriever).toBe('personal');
    // The pinned one first, the excluded one dropped.
    expect(out.hits.map((h) => [h.doc, h.pinned, h.rating])).toEqual([['river.txt', true, 5]]);

    const bad = path.join(tempDir(), 'bad.jsonl');
    fs.writeFileSync(bad, '{"query": "x", "doc": "missing.txt", "action": "pin"}\n');
    const none = cli(['--data-dir', data, 'library', 'curate', '--input', bad]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/No curation event could be applied/);
  });
});
