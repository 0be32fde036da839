/**
 * Retrieval metrics as trec_eval computes them, over a ranked list of document ids and graded
 * judgments (rel > 0 is relevant; the gain of a document is its grade):
 * - nDCG@k: Σ_{i≤k} rel_i / log2(i + 1), over the same for the ideal ordering of all judgments;
 * - Recall@k: relevant documents in the top k over all relevant documents;
 * - MRR@k: 1 / rank of the first relevant document in the top k (0 if none).
 * A query without relevant judgments scores 0 on every metric (and the evaluation skips it).
 */

export type Judgments = ReadonlyMap<string, number>;

export function ndcgAt(ranked: readonly string[], judged: Judgments, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    const rel = judged.get(id) ?? 0;
    if (rel > 0) dcg += rel / Math.log2(i + 2);
  });
  const ideal = [...judged.values()].filter((r) => r > 0).sort((a, b) => b - a);
  let idcg = 0;
  ideal.slice(0, k).forEach((rel, i) => (idcg += rel / Math.log2(i + 2)));
  return idcg > 0 ? dcg / idcg : 0;
}

export function recallAt(ranked: readonly string[], judged: Judgments, k: number): number {
  const relevant = [...judged.values()].filter((r) => r > 0).length;
  if (relevant === 0) return 0;
  const found = ranked.slice(0, k).filter((id) => (judged.get(id) ?? 0) > 0).length;
  return found / relevant;
}

export function mrrAt(ranked: readonly string[], judged: Judgments, k: number): number {
  const i = ranked.slice(0, k).findIndex((id) => (judged.get(id) ?? 0) > 0);
  return i === -1 ? 0 : 1 / (i + 1);
}

export interface QueryMetrics {
  ndcg10: number;
  recall10: number;
  recall100: number;
  mrr10: number;
}

export function queryMetrics(ranked: readonly string[], judged: Judgments): QueryMetrics {
  return {
    ndcg10: ndcgAt(ranked, judged, 10),
    recall10: recallAt(ranked, judged, 10),
    recall100: recallAt(ranked, judged, 100),
    mrr10: mrrAt(ranked, judged, 10),
  };
}

/** The mean of each metric over queries (0s for an empty set). */
export function meanMetrics(all: readonly QueryMetrics[]): QueryMetrics {
  const n = Math.max(1, all.length);
  const sum = (f: keyof QueryMetrics) => all.reduce((s, m) => s + m[f], 0) / n;
  return { ndcg10: sum('ndcg10'), recall10: sum('recall10'), recall100: sum('recall100'), mrr10: sum('mrr10') };
}

/** Chunk hits → document ids in order of their best chunk (judgments are per source file). */
export function documentRanking(hits: ReadonlyArray<{ doc: string }>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const h of hits)
    if (!seen.has(h.doc)) {
      seen.add(h.doc);
      out.push(h.doc);
    }
  return out;
}
