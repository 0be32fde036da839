import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDetect } from '../cli/commands/detect';

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
      for (const k of ['id', 'role', 'role_probs', 'involvement', 'ai_probability', 'segments'])
        expect(l).toHaveProperty(k);
      expect(Object.keys(l.role_probs).sort()).toEqual(['extended', 'generated', 'human', 'polished']);
    }
    expect(lines[0].error).toBeUndefined();
    expect(lines[0].segments.length).toBeGreaterThanOrEqual(1);
    for (const s of lines[0].segments)
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['start', 'end', 'role', 'involvement', 'ai_probability']));
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
    const prevExit = process.exitCode;
    try {
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
    expect(process.exitCode).toBe(1);
    process.exitCode = prevExit;
  });
});
