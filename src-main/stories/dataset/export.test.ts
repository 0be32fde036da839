import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import type { Story } from '../common/contract';
import { splitSizes } from './split';
import { ROW_COLUMNS, storyRow } from './story-rows';
import { syntheticStories, syntheticStory } from './test-fixtures';
import { writeDataset } from './write-dataset';

const options = { unit: 'paragraph' as const, split: [80, 10, 10] as [number, number, number], seed: 7, batchId: null };

function listPan(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const split of ['train', 'validation', 'test']) {
    for (const f of fs.readdirSync(path.join(dir, 'pan', split))) {
      out[`${split}/${f}`] = fs.readFileSync(path.join(dir, 'pan', split, f), 'utf8');
    }
  }
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('story dataset export', () => {
  const stories = syntheticStories(20, 3);

  it('writes JSONL, CSV and a real Parquet file that read back as the stored stories', async () => {
    const dir = path.join(tempDir(), 'export');
    const summary = await writeDataset(stories, { ...options, dir });
    expect(summary.stories).toBe(20);
    const rows = stories.map(storyRow);

    const jsonl = fs
      .readFileSync(path.join(dir, 'stories.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(jsonl).toEqual(rows);

    const buf = fs.readFileSync(path.join(dir, 'stories.parquet'));
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const parquet = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
    expect(parquet).toHaveLength(20);
    parquet.forEach((r, i) => {
      const s = stories[i]!;
      expect(Object.keys(r)).toEqual([...ROW_COLUMNS]);
      expect(r.id).toBe(s.id);
      expect(r.prompt).toBe(s.prompt);
      expect(r.text).toBe(s.text);
      expect(Number(r.num_authors)).toBe(new Set(s.parts.map((p) => p.authorId)).size);
      expect(JSON.parse(r.part_texts as string)).toEqual(s.parts.map((p) => p.text));
      expect(JSON.parse(r.part_authors as string)).toEqual(s.parts.map((p) => p.authorId));
      expect(JSON.parse(r.part_models as string)).toEqual(s.parts.map((p) => p.model));
      expect(JSON.parse(r.part_words as string)).toEqual(s.parts.map((p) => p.words));
    });

    const csv = fs.readFileSync(path.join(dir, 'stories.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(ROW_COLUMNS.join(','));
    // The prompt has a quote and a comma: quoted and doubled, RFC 4180.
    expect(csv).toContain(`"${stories[0]!.prompt.replace(/"/g, '""')}"`);

    const card = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(card.startsWith('---\n')).toBe(true);
    for (const key of ['license:', 'task_categories:', 'language:', 'size_categories:', 'pretty_name:']) {
      expect(card).toContain(key);
    }
    expect(card).toContain(`| train | ${summary.splits.train} |`);
  });

  it('writes PAN problems whose truth equals the stored parts, in the form PAN’s evaluator reads', async () => {
    const dir = path.join(tempDir(), 'export');
    await writeDataset(stories, { ...options, dir });
    const ids = JSON.parse(fs.readFileSync(path.join(dir, 'pan', 'ids.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    const byId = new Map(stories.map((s) => [s.id, s]));
    let problems = 0;
    for (const split of ['train', 'validation', 'test']) {
      const folder = path.join(dir, 'pan', split);
      const files = fs.readdirSync(folder);
      const txt = files.filter((f) => /^problem-\d+\.txt$/.test(f));
      // Every file is a problem or its truth (the evaluator globs truth-problem*.json).
      expect(files.length).toBe(txt.length * 2);
      for (const f of txt) {
        problems++;
        const id = f.slice(0, -4);
        const text = fs.readFileSync(path.join(folder, f), 'utf8');
        const truth = JSON.parse(fs.readFileSync(path.join(folder, `truth-${id}.json`), 'utf8'));
        expect(Object.keys(truth).sort()).toEqual(['authors', 'changes']);
        // PAN's verifier counts units as newlines + 1.
        expect(truth.changes).toHaveLength(text.split('\n').length - 1);
        expect(truth.changes.every((c: number) => c === 0 || c === 1)).toBe(true);
        const lines = text.split('\n');
        expect(lines.every((l) => l.trim() !== '' && l === l.trim())).toBe(true);
        const story = byId.get(ids[split]![id]!)!;
        expect(lines.join(' ')).toBe(norm(story.parts.map((p) => p.text).join(' ')));
        const switches = story.parts.slice(1).filter((p, i) => p.authorId !== story.parts[i]!.authorId).length;
        expect(truth.changes.reduce((a: number, b: number) => a + b, 0)).toBe(switches);
        expect(truth.authors).toBe(new Set(story.parts.map((p) => p.authorId)).size);
      }
    }
    expect(problems).toBe(20);
  });

  it('marks a change only between parts of different authors, and a multi-paragraph part is several units', async () => {
    const story: Story = syntheticStory('s', ['formal', 'formal', 'terse'], 1);
    story.parts[0]!.text = 'First paragraph.\n\nSecond paragraph\nwith a line break.';
    story.parts[1]!.text = 'Same author again.';
    story.parts[2]!.text = 'Another author!';
    const dir = path.join(tempDir(), 'export');
    await writeDataset([story], { ...options, split: [100, 0, 0], dir });
    const text = fs.readFileSync(path.join(dir, 'pan', 'train', 'problem-1.txt'), 'utf8');
    expect(text).toBe('First paragraph.\nSecond paragraph with a line break.\nSame author again.\nAnother author!');
    const truth = JSON.parse(fs.readFileSync(path.join(dir, 'pan', 'train', 'truth-problem-1.json'), 'utf8'));
    expect(truth).toEqual({ authors: 2, changes: [0, 0, 1] });
  });

  it('splits by a seeded shuffle: sizes from the percentages, the same seed gives the same files', async () => {
    expect(splitSizes(20, [80, 10, 10])).toEqual([16, 2, 2]);
    expect(splitSizes(7, [80, 10, 10])).toEqual([5, 1, 1]);
    expect(splitSizes(3, [100, 0, 0])).toEqual([3, 0, 0]);
    const root = tempDir();
    const a = await writeDataset(stories, { ...options, dir: path.join(root, 'a') });
    await writeDataset(stories, { ...options, dir: path.join(root, 'b') });
    await writeDataset(stories, { ...options, seed: 8, dir: path.join(root, 'c') });
    expect(a.splits).toEqual({ train: 16, validation: 2, test: 2 });
    expect(listPan(path.join(root, 'b'))).toEqual(listPan(path.join(root, 'a')));
    expect(listPan(path.join(root, 'c'))).not.toEqual(listPan(path.join(root, 'a')));
  });

  it('cuts sentences with --unit sentence', async () => {
    const root = tempDir();
    await writeDataset(stories, { ...options, split: [100, 0, 0], dir: path.join(root, 'p') });
    await writeDataset(stories, { ...options, unit: 'sentence', split: [100, 0, 0], dir: path.join(root, 's') });
    const lines = (d: string) =>
      fs.readFileSync(path.join(root, d, 'pan', 'train', 'problem-1.txt'), 'utf8').split('\n').length;
    expect(lines('s')).toBeGreaterThan(lines('p'));
  });

  it('leaves DIR untouched and nothing half written when a write fails (full disk)', async () => {
    const root = tempDir();
    const dir = path.join(root, 'export');
    await writeDataset(stories.slice(0, 5), { ...options, dir });
    const before = listPan(dir);
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    await expect(
      writeDataset(
        stories,
        { ...options, dir },
        {
          writeFile: (file, data) => {
            if (file.endsWith('truth-problem-3.json')) throw full;
            fs.writeFileSync(file, data);
          },
        },
      ),
    ).rejects.toThrow(/disk is full.*Nothing was exported/);
    expect(listPan(dir)).toEqual(before);
    expect(fs.readdirSync(root)).toEqual(['export']);
  });

  it('a cancelled export leaves no folder behind', async () => {
    const root = tempDir();
    const controller = new AbortController();
    await expect(
      writeDataset(
        stories,
        { ...options, dir: path.join(root, 'export') },
        {
          signal: controller.signal,
          progress: (done) => {
            if (done === 10) controller.abort(new Error('cancelled'));
          },
        },
      ),
    ).rejects.toThrow('cancelled');
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('refuses a folder that holds other files, and a DIR that is a file', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'notes.txt'), 'mine');
    await expect(writeDataset(stories, { ...options, dir: root })).rejects.toThrow(/not empty/);
    expect(fs.readdirSync(root)).toEqual(['notes.txt']);
    await expect(writeDataset(stories, { ...options, dir: path.join(root, 'notes.txt') })).rejects.toThrow(
      /not a folder/,
    );
  });

  it('is readable by pandas + pyarrow (skipped where they are not installed)', async (ctx) => {
    try {
      execFileSync('python3', ['-c', 'import pandas, pyarrow'], { stdio: 'ignore' });
    } catch {
      ctx.skip('python3 with pandas and pyarrow is not installed (apt-get install python3-pandas python3-pyarrow)');
    }
    const dir = path.join(tempDir(), 'export');
    await writeDataset(stories, { ...options, dir });
    const out = execFileSync('python3', [
      '-c',
      'import sys, json, pandas as pd; d = pd.read_parquet(sys.argv[1]); ' +
        'print(json.dumps([len(d), json.loads(d["part_texts"][0]), d["text"][0]]))',
      path.join(dir, 'stories.parquet'),
    ]).toString();
    expect(JSON.parse(out)).toEqual([20, stories[0]!.parts.map((p) => p.text), stories[0]!.text]);
  });
});
