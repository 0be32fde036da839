import { describe, expect, it } from 'vitest';
import { documentRanking, meanMetrics, mrrAt, ndcgAt, queryMetrics, recallAt } from './metrics';

const judged = new Map([
  ['a', 2],
  ['b', 1],
  ['c', 0],
  ['d', 1],
]);

describe('retrieval metrics (hand-computed)', () => {
  it('nDCG@k with graded gains', () => {
    // ranked c, a, x, b: DCG = 2/log2(3) + 1/log2(5) = 1.26186 + 0.43068 = 1.69254
    // ideal a, b, d: 2/1 + 1/log2(3) + 1/log2(4) = 2 + 0.63093 + 0.5 = 3.13093
    expect(ndcgAt(['c', 'a', 'x', 'b'], judged, 10)).toBeCloseTo(1.69254 / 3.13093, 4);
    expect(ndcgAt(['a', 'b', 'd'], judged, 10)).toBeCloseTo(1, 10);
    // @2: DCG = 2/log2(3) = 1.26186; ideal@2 = 2 + 0.63093
    expect(ndcgAt(['c', 'a', 'x', 'b'], judged, 2)).toBeCloseTo(1.26186 / 2.63093, 4);
    expect(ndcgAt(['x', 'y'], judged, 10)).toBe(0);
  });

  it('Recall@k and MRR@k', () => {
    expect(recallAt(['c', 'a', 'x', 'b'], judged, 10)).toBeCloseTo(2 / 3, 10);
    expect(recallAt(['c', 'a', 'x', 'b'], judged, 2)).toBeCloseTo(1 / 3, 10);
    expect(mrrAt(['c', 'x', 'b', 'a'], judged, 10)).toBeCloseTo(1 / 3, 10);
    expect(mrrAt(['c', 'x', 'b'], judged, 2)).toBe(0);
    expect(recallAt(['a'], new Map([['a', 0]]), 10)).toBe(0);
  });

  it('ranks documents by their best chunk and averages per query', () => {
    expect(documentRanking([{ doc: 'b' }, { doc: 'a' }, { doc: 'b' }, { doc: 'c' }])).toEqual(['b', 'a', 'c']);
    const m = meanMetrics([queryMetrics(['a'], judged), queryMetrics(['x'], judged)]);
    expect(m.mrr10).toBeCloseTo(0.5, 10);
    expect(m.recall10).toBeCloseTo(1 / 6, 10);
  });
});
