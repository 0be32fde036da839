import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../test/helpers/run-command';
import { tempDir } from '../../../test/helpers/temp-dir';
import { createApp } from '../../app';
import { createLocalCaller } from '../../api/router';
import { syntheticStories } from '../../stories/dataset/test-fixtures';
import { registerStories } from './stories';
import { registerStoryDataset } from './stories-dataset';

const register = (program: Command) => registerStoryDataset(registerStories(program));
const cli = (dataDir: string, args: string[]) => runCommand(register, dataDir, args);

/** Stores finished stories through the real story service and store (no model needed). */
async function seed(dataDir: string, n: number): Promise<string[]> {
  const app = createApp({ dataDir, startJobs: false });
  try {
    return syntheticStories(n, 11).map((s) => {
      const story = app.stories.create({
        prompt: s.prompt,
        promptSource: s.promptSource,
        authors: s.authors,
        config: s.config,
      });
      for (const part of s.parts) app.stories.store.insertPart(story.id, part);
      app.stories.store.setStatus(story.id, 'done');
      return story.id;
    });
  } finally {
    await app.dispose();
  }
}

describe('palimpsest stories export | analyze', () => {
  it('exports the stored stories, trains on pan/train and predicts PAN solutions', async () => {
    const dataDir = tempDir();
    const ids = await seed(dataDir, 30);
    const out = path.join(tempDir(), 'dataset');

    const exported = await cli(dataDir, ['stories', 'export', out, '--split', '70,10,20', '--seed', '3']);
    expect(exported).toMatch(/^Exported 30 stories to .* \(PAN: 21 train, 3 validation, 6 test\)\.\n$/);
    for (const f of ['stories.jsonl', 'stories.csv', 'stories.parquet', 'README.md']) {
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    }
    const rows = fs
      .readFileSync(path.join(out, 'stories.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.id)).toEqual(ids);

    const trained = JSON.parse(
      await cli(dataDir, ['--json', 'stories', 'analyze', 'train', path.join(out, 'pan', 'train')]),
    );
    expect(trained).toMatchObject({ trained: true, problems: 21 });
    expect(trained.validationF1).toBeGreaterThan(0.5);

    const solutions = path.join(tempDir(), 'solutions');
    const predicted = await cli(dataDir, [
      'stories',
      'analyze',
      'predict',
      path.join(out, 'pan', 'test'),
      '--output',
      solutions,
    ]);
    expect(predicted).toContain('Wrote 6 solution files');
    const names = fs.readdirSync(solutions).sort();
    expect(names).toEqual([1, 2, 3, 4, 5, 6].map((i) => `solution-problem-${i}.json`).sort());
    for (const name of names) {
      const sol = JSON.parse(fs.readFileSync(path.join(solutions, name), 'utf8'));
      const units = fs.readFileSync(
        path.join(out, 'pan', 'test', name.replace('solution-', '').replace('.json', '.txt')),
        'utf8',
      );
      expect(sol.changes).toHaveLength(units.split('\n').length - 1);
      expect(Object.keys(sol).sort()).toEqual(['authors', 'changes']);
    }

    // The view's analysis of a stored story: predictions beside the truth the export wrote.
    const app = createApp({ dataDir, startJobs: false });
    try {
      const api = createLocalCaller({ app, transport: 'local' });
      const storyIds = JSON.parse(fs.readFileSync(path.join(out, 'pan', 'ids.json'), 'utf8')).test as Record<
        string,
        string
      >;
      const truth = JSON.parse(fs.readFileSync(path.join(out, 'pan', 'test', 'truth-problem-1.json'), 'utf8'));
      const analysis = await api.stories.analyze({ storyId: storyIds['problem-1']!, unit: 'paragraph' });
      expect(analysis.truth).toMatchObject({ changes: truth.changes, authors: truth.authors });
      expect(analysis.changes).toHaveLength(truth.changes.length);
      expect((await api.stories.analysisModel()).trained).toBe(true);
    } finally {
      await app.dispose();
    }
  });

  it('exits 2 on a bad --split, 1 when there is nothing to export or the folder is not ours', async () => {
    const dataDir = tempDir();
    await expect(cli(dataDir, ['stories', 'export', tempDir(), '--split', '80,20'])).rejects.toMatchObject({
      exitCode: 2,
    });
    await expect(cli(dataDir, ['stories', 'export', path.join(tempDir(), 'x')])).rejects.toThrow(/no finished stories/);
    await seed(dataDir, 2);
    const busy = tempDir();
    fs.writeFileSync(path.join(busy, 'thesis.tex'), 'mine');
    await expect(cli(dataDir, ['stories', 'export', busy])).rejects.toThrow(/not empty/);
    expect(fs.readdirSync(busy)).toEqual(['thesis.tex']);
  });
});
