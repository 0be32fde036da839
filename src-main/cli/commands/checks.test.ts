import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import { hasShippedModel, MODEL_SKIP_REASON, SAMPLE_GENERATED, SAMPLE_HUMAN } from '../../checks/test-fixtures';
import { runCommand } from '../../../test/helpers/run-command';
import { registerChecks } from './checks';

const cli = (dataDir: string, args: string[]) => runCommand(registerChecks, dataDir, args);

describe.skipIf(!hasShippedModel)(`palimpsest checks${MODEL_SKIP_REASON}`, () => {
  it('runs a folder check, lists, shows, exports CSV and writes a report', async () => {
    const dataDir = tempDir();
    const src = tempDir();
    fs.writeFileSync(path.join(src, 'a.txt'), SAMPLE_HUMAN);
    fs.writeFileSync(path.join(src, 'b.md'), SAMPLE_GENERATED);
    const run = await cli(dataDir, ['checks', 'run', src, '--name', 'Class 9B']);
    expect(run).toMatch(/^Class 9B \(chk_\w+\) · succeeded · calibration: default/);
    expect(run).toContain('a.txt');
    expect(run).toMatch(/b\.md\s+llm \((polished|extended|generated)\)/);
    expect(run).toMatch(/#1 b\.md: .*not proof/);

    const [check] = JSON.parse(await cli(dataDir, ['--json', 'checks', 'list'])) as Array<{
      id: string;
      total: number;
    }>;
    expect(check!.total).toBe(2);
    const shown = JSON.parse(await cli(dataDir, ['--json', 'checks', 'show', check!.id])) as { items: unknown[] };
    expect(shown.items).toHaveLength(2);

    const csv = path.join(src, 'out.csv');
    await cli(dataDir, ['checks', 'export', check!.id, csv]);
    expect(fs.readFileSync(csv, 'utf8').trim().split('\r\n')).toHaveLength(3);
    const html = path.join(src, 'report.html');
    expect(await cli(dataDir, ['checks', 'report', check!.id, html, '--position', '1'])).toBe(`Wrote ${html}\n`);
    const report = fs.readFileSync(html, 'utf8');
    expect(report).toContain('b.md');
    expect(report).toContain('Caveat:');
    // The procedure's validation applies (the service alone would have cut the name to 200 characters).
    await expect(cli(dataDir, ['checks', 'run', src, '--name', 'x'.repeat(201)])).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    // Through the API procedure: its NOT_FOUND error carries the service's not_found.
    await expect(cli(dataDir, ['checks', 'show', 'chk_nope'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      cause: { code: 'not_found' },
    });
  });

  // Defect 12, for stored checks: `checks run` on files that all failed exited 0, as `detect` did.
  it('exits 1 when no file of the run could be checked, and keeps the check with its errors', async () => {
    const dataDir = tempDir();
    const src = tempDir();
    const binary = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    for (const name of ['a.txt', 'b.txt']) fs.writeFileSync(path.join(src, name), binary);
    await expect(cli(dataDir, ['checks', 'run', src])).rejects.toMatchObject({
      exitCode: 1,
      message: 'None of the 2 files could be checked.',
    });
    const [check] = JSON.parse(await cli(dataDir, ['--json', 'checks', 'list'])) as Array<{ total: number }>;
    expect(check).toMatchObject({ total: 2, failed: 2 });
    // One file that could be checked is enough for success; the failed one is reported in the table.
    fs.writeFileSync(path.join(src, 'c.txt'), SAMPLE_HUMAN);
    expect(await cli(dataDir, ['checks', 'run', src])).toMatch(/#0 a\.txt: .*binary/);
  });
});
