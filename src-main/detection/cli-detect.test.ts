import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDetect } from '../cli/commands/detect';
import { MAX_LINE_BYTES } from '../cli/commands/detect-jsonl';
import { runCli } from '../cli/main';

/** Runs the real CLI entry in-process, capturing what it prints. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => (err.push(String(c)), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const ESSAY = `Technology has changed the way students learn in many ways. In the past, students relied on textbooks and lectures, but today they can access a vast amount of information online. This shift has created new opportunities as well as new challenges for teachers and learners alike.

One major benefit is flexibility. Students can review material at their own pace, watch videos that explain difficult concepts, and collaborate with classmates through shared documents. However, the constant availability of devices can also be distracting, and not every student has reliable internet access at home.`;

describe('palimpsest detect --input/--output (jsonl)', () => {
  it('writes one line per input, in order, with an error field on bad lines', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pal-cli-detect-'));
    const input = path.join(dir, 'in.jsonl');
    const output = path.join(dir, 'out.jsonl');
    writeFileSync(
      input,
      [
        JSON.stringify({ id: 'a', text: ESSAY }),
        '{not json',
        JSON.stringify({ id: 'b', text: '' }),
        JSON.stringify({ id: 'c' }),
        '',
        JSON.stringify({ id: 'd', text: 'Too short.' }),
        JSON.stringify({ id: 7, text: ESSAY.toUpperCase() }),
      ].join('\n') + '\n',
    );
    await runDetect([], { input, output, segments: true, progress: false });
    const lines = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines.map((l) => l.id)).toEqual(['a', null, 'b', 'c', 'd', 7]);
    for (const l of lines) {
      for (const k of ['id', 'verdict', 'role', 'role_probs', 'involvement', 'ai_probability', 'segments'])
        expect(l).toHaveProperty(k);
      // Agreement rules: a role only with an llm verdict; no numbers without a verdict.
      if (l.verdict !== 'llm') expect(l.role).toBe('human');
      if (l.abstained) {
        expect([l.role_probs, l.involvement, l.ai_probability, l.confidence_band ?? null]).toEqual([
          null,
          null,
          null,
          null,
        ]);
      } else expect(Object.keys(l.role_probs).sort()).toEqual(['extended', 'generated', 'human', 'polished']);
    }
    expect(lines[0]).toMatchObject({ operating_point: 'strict', threshold: expect.any(Number) });
    expect(['human', 'inconclusive', 'llm']).toContain(lines[0].verdict);
    expect(lines[0].error).toBeUndefined();
    expect(lines[0].segments.length).toBeGreaterThanOrEqual(1);
    for (const s of lines[0].segments)
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining([
          'start',
          'end',
          'role',
          'verdict',
          'involvement',
          'ai_probability',
          'authorship_change',
        ]),
      );
    expect(lines[1].error.code).toBe('bad_input');
    expect(lines[2].error.code).toBe('empty_text');
    expect(lines[3].error.code).toBe('bad_input');
    expect(lines[4]).toMatchObject({ role: 'human', abstained: true, abstain_reason: 'too_short' });
    expect(lines[5].error).toBeUndefined();
  });

  it('reports per-file errors and keeps going', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pal-cli-files-'));
    writeFileSync(path.join(dir, 'good.txt'), ESSAY);
    writeFileSync(path.join(dir, 'bad.docx'), 'not a docx');
    writeFileSync(path.join(dir, 'empty.md'), '');
    const chunks: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
    try {
      // At least one file was checked: the others' errors are in the output, and it succeeds.
      await runDetect([dir], { segments: false, progress: false, json: true });
    } finally {
      process.stdout.write = orig;
    }
    const rows = JSON.parse(chunks.join('')) as Array<{ file: string; error?: { code: string }; role?: string }>;
    expect(rows).toHaveLength(3);
    const byName = Object.fromEntries(rows.map((r) => [path.basename(r.file), r]));
    expect(byName['bad.docx']!.error!.code).toBe('corrupt_file');
    expect(byName['empty.md']!.error!.code).toBe('empty_text');
    expect(byName['good.txt']!.role).toBeDefined();
  });

  it('exits 1 when no file could be checked, 0 when one could', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pal-cli-fail-'));
    writeFileSync(path.join(dir, 'bad.docx'), 'not a docx');
    writeFileSync(path.join(dir, 'empty.md'), '');
    const failed = await cli(['detect', dir, '--no-progress']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('ERROR');
    expect(failed.stderr).toBe('palimpsest: None of the 2 files could be checked.\n');
    writeFileSync(path.join(dir, 'good.txt'), ESSAY);
    expect((await cli(['detect', dir, '--no-progress', '--no-segments'])).code).toBe(0);
    expect((await cli(['detect', path.join(dir, 'missing.txt'), '--no-progress'])).stderr).toMatch(
      /^palimpsest: .*missing\.txt does not exist\.\n$/,
    );
    const empty = mkdtempSync(path.join(tmpdir(), 'pal-cli-empty-'));
    expect(await cli(['detect', empty, '--no-progress'])).toMatchObject({ code: 1, stdout: '' });
  });
});

describe('palimpsest detect --input: failures', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pal-cli-jsonl-'));
  const input = path.join(dir, 'in.jsonl');
  writeFileSync(input, JSON.stringify({ id: 'a', text: ESSAY }) + '\n');

  it('says in one line that the output folder does not exist, and exits 1', async () => {
    const r = await cli(['detect', '--input', input, '--output', path.join(dir, 'no-such-dir', 'o.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `palimpsest: Cannot write the output file ${path.join(dir, 'no-such-dir', 'o.jsonl')}: its folder does not exist.\n`,
    );
  });

  it("refuses an over-long line as that line's error and scores the others", async () => {
    const long = path.join(dir, 'long.jsonl');
    const output = path.join(dir, 'long-out.jsonl');
    writeFileSync(
      long,
      [
        JSON.stringify({ id: 'big', text: 'x'.repeat(MAX_LINE_BYTES) }),
        JSON.stringify({ id: 'ok', text: ESSAY }),
        JSON.stringify({ id: 'over', text: 'word '.repeat(400_001) }),
      ].join('\n'),
    );
    await runDetect([], { input: long, output, segments: false, progress: false });
    const lines = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.error?.code ?? null])).toEqual([
      [null, 'too_large'],
      ['ok', null],
      ['over', 'too_large'],
    ]);
    expect(lines[0].error).toMatchObject({ line: 1, message: expect.stringContaining('longer than 8 MB') });
  });

  it('exits 1 when every line failed', async () => {
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, '{not json\n' + JSON.stringify({ id: 'b', text: '' }) + '\n');
    const r = await cli(['detect', '--input', bad, '--output', path.join(dir, 'bad-out.jsonl'), '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('palimpsest: None of the 2 lines could be checked.');
    expect(readFileSync(path.join(dir, 'bad-out.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});

describe('palimpsest detect --operating-point', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pal-cli-op-'));

  it('uses strict by default and standard when asked, in the JSONL form', async () => {
    const input = path.join(dir, 'in.jsonl');
    writeFileSync(
      input,
      JSON.stringify({ id: 'a', text: ESSAY }) + '\n' + JSON.stringify({ id: 's', text: 'Too short.' }) + '\n',
    );
    const run = async (extra: string[]) => {
      const out = path.join(dir, `out-${extra.join('') || 'default'}.jsonl`);
      const r = await cli(['detect', '--input', input, '--output', out, '--no-progress', ...extra]);
      expect(r.code).toBe(0);
      return readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    };
    const [strict, short] = await run([]);
    const [standard] = await run(['--operating-point', 'standard']);
    expect(strict.operating_point).toBe('strict');
    expect(standard.operating_point).toBe('standard');
    // The standard flag threshold is lower; the inconclusive band starts below it.
    expect(standard.threshold).toBeLessThan(strict.threshold);
    expect(strict.inconclusive_from).toBe(standard.threshold);
    expect(standard.inconclusive_from).toBeLessThanOrEqual(standard.threshold);
    expect(short).toMatchObject({ abstained: true, ai_probability: null, score_meaning: null, role: 'human' });
  });

  it('takes the option in the file form too, and refuses a bad value with exit 2', async () => {
    const file = path.join(dir, 'essay.txt');
    writeFileSync(file, ESSAY);
    const ok = await cli(['detect', file, '--no-progress', '--operating-point', 'standard']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Operating point standard');
    const json = await cli(['detect', file, '--no-progress', '--json']);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ operating_point: 'strict' });
    const bad = await cli(['detect', file, '--no-progress', '--operating-point', 'lenient']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--operating-point must be strict or standard');
  });
});
