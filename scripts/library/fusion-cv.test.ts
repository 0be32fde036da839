import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQrels, parseQueries } from './evaluate';
import { collectLists, crossValidate, FUSION_GRID, fuse, scoreSetting } from './fusion-cv';
import { documentRanking, meanMetrics, queryMetrics } from './metrics';

const shipped = path.resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'library-eval', 'sotu');

describe('hybrid against BM25 on the whole shipped set', () => {
  it('the default fusion (RRF 1:1 over BM25 and feedback dense) beats BM25 on nDCG@10 and R@100', async () => {
    const qrels = parseQrels(fs.readFileSync(path.join(shipped, 'qrels.tsv'), 'utf8'));
    const queries = parseQueries(fs.readFileSync(path.join(shipped, 'queries.jsonl'), 'utf8')).filter((q) =>
      [...(qrels.get(q.id)?.values() ?? [])].some((r) => r > 0),
    );
    const lists = await collectLists(path.join(shipped, 'docs'), queries);
    expect(lists).toHaveLength(39);
    const rrf = scoreSetting(lists, qrels, { fusion: 'rrf', value: 1 });
    const bm25 = meanMetrics(
      lists.map((q) =>
        queryMetrics(documentRanking(q.bm25.map((r) => ({ doc: q.docOf.get(r.id)! }))), qrels.get(q.query.id)!),
      ),
    );
    // The shipped default (RRF 1:1, dense with BM25 feedback) vs BM25 alone: docs/architecture/library.md.
    expect(rrf.ndcg10).toBeGreaterThan(bm25.ndcg10);
    expect(rrf.recall100).toBeGreaterThan(bm25.recall100);
    // Fusion keeps every passage either list found.
    const first = lists[0]!;
    expect(fuse(first, { fusion: 'rrf', value: 1 }).length).toBe(
      new Set([...first.bm25, ...first.dense].map((r) => r.id)).size,
    );
    const cv = crossValidate(lists, qrels, 5);
    expect(cv.folds.map((f) => f.queries)).toEqual([8, 8, 8, 8, 7]);
    for (const f of cv.folds) expect(FUSION_GRID).toContainEqual(f.chosen);
  }, 60_000);
});
