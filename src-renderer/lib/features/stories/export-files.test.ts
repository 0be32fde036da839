import { describe, expect, it } from 'vitest';
import { exportListing, splitProblem } from './export-files';

describe('export files', () => {
  it('accepts whole shares that add up to 100', () => {
    expect(splitProblem([80, 10, 10])).toBeNull();
    expect(splitProblem([100, 0, 0])).toBeNull();
    expect(splitProblem([80, 10, 5])).toBe('The shares add up to 95, not 100.');
    expect(splitProblem([80.5, 9.5, 10])).toMatch(/whole number/);
    expect(splitProblem([120, -10, -10])).toMatch(/whole number/);
  });

  it('lists what an export wrote from its job result', () => {
    const files = exportListing({
      dir: '/data/set/',
      stories: 12,
      splits: { train: 9, validation: 1, test: 2 },
      emptyStories: 0,
      unit: 'sentence',
    });
    expect(files.map((f) => f.path)).toEqual([
      '/data/set/stories.jsonl',
      '/data/set/stories.csv',
      '/data/set/stories.parquet',
      '/data/set/pan/train/',
      '/data/set/pan/validation/',
      '/data/set/pan/test/',
      '/data/set/README.md',
    ]);
    expect(files[0]!.note).toBe('12 stories');
    expect(files[4]!.note).toBe('1 problem, one sentence a line');
    expect(exportListing({ dir: 'C:\\data\\set', stories: 1, splits: {} })[0]!.path).toBe(
      'C:\\data\\set\\stories.jsonl',
    );
    expect(exportListing(null)).toEqual([]);
    expect(exportListing({ stories: 3 })).toEqual([]);
  });
});
