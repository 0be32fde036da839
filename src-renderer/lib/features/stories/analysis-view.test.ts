import { describe, expect, it } from 'vitest';
import { boundaries, changeScores, changesFromAuthors, impliedThreshold } from './analysis-view';

describe('analysis view', () => {
  it('pairs predictions with the truth and scores them', () => {
    const bs = boundaries([0.9, 0.2, 0.7, 0.1], [1, 0, 1, 0], [1, 0, 0, 1]);
    expect(bs.map((b) => b.truth)).toEqual([1, 0, 0, 1]);
    const s = changeScores(bs)!;
    // change: tp 1, fp 1, fn 1 → 0.5; no change: tp 1, fp 1, fn 1 → 0.5
    expect(s.f1Change).toBeCloseTo(0.5);
    expect(s.macroF1).toBeCloseTo(0.5);
    expect(s).toMatchObject({ correct: 2, total: 4 });
  });

  it('leaves out a class absent from truth and prediction, and gives null without truth', () => {
    const perfect = changeScores(boundaries([0.8, 0.9], [1, 1], [1, 1]))!;
    expect(perfect.macroF1).toBe(1);
    expect(changeScores(boundaries([0.8], [1]))).toBeNull();
  });

  it('derives the threshold between the decisions and the truth from unit authors', () => {
    expect(impliedThreshold(boundaries([0.9, 0.2, 0.6], [1, 0, 1]))).toBeCloseTo(0.4);
    expect(impliedThreshold(boundaries([0.9, 0.8], [1, 1]))).toBeNull();
    expect(changesFromAuthors(['a', 'a', 'b', 'c', 'c'])).toEqual([0, 1, 1, 0]);
  });
});
