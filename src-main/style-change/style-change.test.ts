import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { syntheticStories, syntheticStory } from '../stories/dataset/test-fixtures';
import { writeDataset } from '../stories/dataset/write-dataset';
import { macroF1 } from './f1';
import { readPanProblems } from './pan-problems';
import { StyleChangeService } from './style-change-service';

/** Macro F1 of the solutions in `out` against the truth in `problems` (PAN's evaluator's measure). */
function score(problemsDir: string, out: string): { f1: number; zeros: number } {
  const truth: number[] = [];
  const pred: number[] = [];
  for (const p of readPanProblems(problemsDir)) {
    const sol = JSON.parse(fs.readFileSync(path.join(out, `solution-${p.id}.json`), 'utf8'));
    expect(sol.changes).toHaveLength(p.units.length - 1);
    expect(Number.isInteger(sol.authors) && sol.authors >= 1).toBe(true);
    truth.push(...p.truth!.changes);
    pred.push(...sol.changes);
  }
  return {
    f1: macroF1(truth, pred),
    zeros: macroF1(
      truth,
      truth.map(() => 0),
    ),
  };
}

describe('style-change analysis', () => {
  let dir: string;
  let root: string;
  beforeAll(async () => {
    root = tempDir();
    dir = path.join(root, 'export');
    await writeDataset(syntheticStories(50, 5), { dir, unit: 'paragraph', split: [60, 0, 40], seed: 1, batchId: null });
  });

  it('macro F1 matches sklearn on a worked example (zero_division = 0)', () => {
    // sklearn 1.2 f1_score([0,1,1,0,1], [0,1,0,0,0], average='macro', labels=[0,1], zero_division=0)
    expect(macroF1([0, 1, 1, 0, 1], [0, 1, 0, 0, 0])).toBeCloseTo(0.583333, 5);
    expect(macroF1([0, 0, 0], [0, 0, 0])).toBeCloseTo(0.5, 6);
  });

  it('works untrained, then trains on exported truth and beats the all-zeros baseline on the test split', () => {
    const svc = new StyleChangeService({ dataDir: path.join(root, 'data') });
    expect(svc.modelInfo().trained).toBe(false);
    const test = path.join(dir, 'pan', 'test');
    svc.predict(test, path.join(root, 'untrained'));
    const untrained = score(test, path.join(root, 'untrained'));
    expect(untrained.f1).toBeGreaterThan(untrained.zeros);

    const trained = svc.train(path.join(dir, 'pan', 'train'));
    expect(trained.trained).toBe(true);
    expect(trained.problems).toBe(30);
    expect(trained.trainF1).toBeGreaterThan(0.8);
    svc.predict(test, path.join(root, 'trained'));
    const result = score(test, path.join(root, 'trained'));
    expect(result.f1).toBeGreaterThan(0.8);
    expect(result.f1).toBeGreaterThan(result.zeros + 0.3);

    // Persisted in the data folder: a new service (next start) uses the trained model.
    const again = new StyleChangeService({ dataDir: path.join(root, 'data') });
    expect(again.modelInfo()).toMatchObject({ trained: true, problems: 30, trainedAt: trained.trainedAt });
  });

  it('ignores a damaged model file and falls back to the untrained default', () => {
    const data = path.join(root, 'damaged');
    fs.mkdirSync(path.join(data, 'style-change'), { recursive: true });
    fs.writeFileSync(path.join(data, 'style-change', 'model.json'), '{"version": 1, "weights": [1');
    expect(new StyleChangeService({ dataDir: data }).modelInfo().trained).toBe(false);
  });

  it('analyses any text: units with offsets, P(change) per pair, changes and authors', () => {
    const svc = new StyleChangeService({ dataDir: path.join(root, 'data') });
    const story = syntheticStory('x', ['formal', 'terse', 'formal'], 42);
    const r = svc.analyzeText(story.text, { unit: 'paragraph' });
    expect(r.units.length).toBeGreaterThanOrEqual(3);
    for (const u of r.units) expect(story.text.slice(u.start, u.end)).toBe(u.text);
    expect(r.changeProbability).toHaveLength(r.units.length - 1);
    expect(r.changes).toEqual(r.changeProbability.map((p) => (p >= svc.modelInfo().threshold ? 1 : 0)));
    expect(r.changes.filter((c) => c === 1)).toHaveLength(2);
    // The first author comes back after the second: two authors, not three.
    expect(r.authors).toBe(2);
    expect(svc.analyzeText('One paragraph only.').changes).toEqual([]);
  });

  it('attributes units to the known authors from their samples', () => {
    const svc = new StyleChangeService({ dataDir: path.join(root, 'data') });
    const samples = (style: string, seed: number) => syntheticStory('s', [style], seed, 2).parts.map((p) => p.text);
    const story = syntheticStory('y', ['dialogue', 'formal', 'terse'], 99);
    const r = svc.attribute(story.parts.map((p) => p.text.replace(/\n\n/g, ' ')).join('\n\n'), [
      { id: 'formal', samples: samples('formal', 1) },
      { id: 'terse', samples: samples('terse', 2) },
      { id: 'dialogue', samples: samples('dialogue', 3) },
    ]);
    expect(r.assignments.map((a) => a.authorId)).toEqual(['dialogue', 'formal', 'terse']);
    for (const a of r.assignments) expect(a.probability).toBeGreaterThan(1 / 3);
    expect(() => svc.attribute('text', [])).toThrow(/at least one known author/);
  });

  it('refuses training data without truth, and a folder without problems', () => {
    const svc = new StyleChangeService({ dataDir: path.join(root, 'data2') });
    const noTruth = path.join(root, 'no-truth');
    fs.mkdirSync(noTruth);
    fs.writeFileSync(path.join(noTruth, 'problem-1.txt'), 'a\nb');
    expect(() => svc.train(noTruth)).toThrow(/truth-problem-1.json is missing/);
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    expect(() => svc.predict(empty, path.join(root, 'o'))).toThrow(/no problem-N.txt/);
    expect(() => svc.predict(path.join(root, 'missing'), path.join(root, 'o'))).toThrow(
      /Cannot read the problems folder/,
    );
  });
});
