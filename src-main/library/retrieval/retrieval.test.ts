import { describe, expect, it } from 'vitest';
import { ftsQuery } from './bm25';
import { DenseMatrix } from './dense-matrix';
import { convexFusion, reciprocalRankFusion } from './fusion';
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

describe('convex fusion', () => {
  it('combines min–max normalized scores with weights summing to one, a missing passage scoring 0', () => {
    const bm25 = [
      { id: 1, score: 20 },
      { id: 2, score: 11 },
      { id: 3, score: 10 },
    ];
    const dense = [
      { id: 3, score: 0.9 },
      { id: 4, score: 0.5 },
      { id: 2, score: 0.1 },
    ];
    const fused = convexFusion([
      { weight: 1, ranked: bm25 },
      { weight: 1, ranked: dense },
    ]);
    // 1: 0.5·1; 3: 0.5·0 + 0.5·1; 2: 0.5·0.1 + 0; 4: 0.5·0.5.
    expect(fused.map((r) => r.id)).toEqual([1, 3, 4, 2]);
    expect(fused[0]!.score).toBeCloseTo(0.5);
    expect(fused[3]!.score).toBeCloseTo(0.05);
    // All weight on dense: dense order exactly; no weight at all: nothing.
    expect(
      convexFusion([
        { weight: 0, ranked: bm25 },
        { weight: 3, ranked: dense },
      ]).map((r) => r.id),
    ).toEqual([3, 4, 2]);
    expect(convexFusion([{ weight: 0, ranked: bm25 }])).toEqual([]);
  });
});

describe('DenseMatrix', () => {
  it('finds the same top k as a full sort (normalized, ties by id) and reads rows back', () => {
    let s = 7;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) / 16777216 - 0.5;
    const dims = 16;
    const rows = Array.from({ length: 500 }, (_, i) => ({
      id: 1000 - i,
      vector: Float32Array.from({ length: dims }, () => Math.round(rnd() * 4) * (1 + (i % 3))),
    }));
    const m = DenseMatrix.from(dims, rows, rows.length);
    const q = Float32Array.from({ length: dims }, () => rnd());
    const unit = (v: Float32Array) => {
      const n = Math.hypot(...v);
      return Array.from(v, (x) => (n ? x / n : 0));
    };
    const qu = unit(q);
    const expected = rows
      .map((r) => ({ id: r.id, score: unit(r.vector).reduce((acc, x, j) => acc + x * qu[j]!, 0) }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
    for (const k of [1, 10, 100, 500, 900]) {
      const got = m.nearest(q, k);
      expect(got).toHaveLength(Math.min(k, rows.length));
      got.forEach((g, i) => expect(g.score).toBeCloseTo(expected[i]!.score, 5));
      expect(got.map((g) => g.id)).toEqual(expected.slice(0, k).map((e) => e.id));
    }
    expect(m.nearest(new Float32Array(dims), 5)).toEqual([]);
    expect(Array.from(m.vector(1000)!)).toEqual(unit(rows[0]!.vector).map((x) => Math.fround(x)));
    expect(m.vector(1)).toBeNull();
    expect(() => m.nearest(new Float32Array(3), 5)).toThrow(/dims/);
  });
});
