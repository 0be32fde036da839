import { describe, expect, it } from 'vitest';
import { ftsQuery } from './bm25';
import { reciprocalRankFusion } from './fusion';
import { embedLsa, fitLsa } from './lsa';

describe('reciprocal rank fusion', () => {
  it('adds weight / (k + rank) per list and breaks ties by id', () => {
    const fused = reciprocalRankFusion([
      {
        weight: 1,
        ranked: [
          { id: 1, score: 9 },
          { id: 2, score: 8 },
        ],
      },
      {
        weight: 1,
        ranked: [
          { id: 2, score: 0.9 },
          { id: 3, score: 0.8 },
        ],
      },
    ]);
    expect(fused.map((r) => r.id)).toEqual([2, 1, 3]);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61);
    const onlyDense = reciprocalRankFusion([
      { weight: 0, ranked: [{ id: 1, score: 9 }] },
      {
        weight: 2,
        ranked: [
          { id: 5, score: 1 },
          { id: 4, score: 1 },
        ],
      },
    ]);
    expect(onlyDense.map((r) => r.id)).toEqual([5, 4]);
  });
});

describe('ftsQuery', () => {
  it('quotes terms so FTS5 syntax in a query is plain text, and caps long queries', () => {
    expect(ftsQuery('NEAR("a" OR b*) -c: the')).toBe('"near" OR "b" OR "c"');
    expect(ftsQuery('to be or')).toBe('"to" OR "be" OR "or"');
    expect(ftsQuery('  !!! ')).toBeNull();
    const many = Array.from({ length: 500 }, (_, i) => `term${i}`).join(' ');
    expect(ftsQuery(many)!.split(' OR ')).toHaveLength(64);
  });
});

describe('LSA', () => {
  const docs = [
    'the cat sat on the mat with another cat',
    'dogs and cats are pets that people keep',
    'a kitten is a young cat and a puppy is a young dog',
    'stock markets fell as investors sold shares',
    'the central bank raised interest rates again',
    'bond yields and shares moved after the rate decision',
  ];
  it('projects related texts close together, and is deterministic', () => {
    const model = fitLsa(docs, { dims: 2 });
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    const pets = embedLsa(model, 'kitten puppy pets');
    const money = embedLsa(model, 'investors interest rates');
    expect(cos(pets, embedLsa(model, docs[0]!))).toBeGreaterThan(cos(pets, embedLsa(model, docs[3]!)));
    expect(cos(money, embedLsa(model, docs[5]!))).toBeGreaterThan(cos(money, embedLsa(model, docs[1]!)));
    expect(Array.from(fitLsa(docs, { dims: 2 }).proj)).toEqual(Array.from(model.proj));
    expect(Array.from(embedLsa(model, 'zebra'))).toEqual([0, 0]);
  });
});
