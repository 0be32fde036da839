import { RRF_K } from '../common/contract';

export interface Ranked {
  id: number;
  score: number;
}

/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): each list adds weight / (k + rank)
 * for every passage it ranks (rank 1-based). Ties go to the smaller chunk id, so results are
 * deterministic.
 */
export function reciprocalRankFusion(
  lists: ReadonlyArray<{ weight: number; ranked: readonly Ranked[] }>,
  k = RRF_K,
): Ranked[] {
  const score = new Map<number, number>();
  for (const { weight, ranked } of lists) {
    if (weight <= 0) continue;
    ranked.forEach((r, i) => score.set(r.id, (score.get(r.id) ?? 0) + weight / (k + i + 1)));
  }
  return [...score.entries()].map(([id, s]) => ({ id, score: s })).sort((a, b) => b.score - a.score || a.id - b.id);
}

/**
 * Convex combination of normalized scores (Bruch, Gai & Ingber 2023, "An Analysis of Fusion
 * Functions for Hybrid Retrieval": it beats RRF and needs few examples to tune). Each list's
 * scores are min–max normalized over that list (a passage a list did not return gets 0 from it),
 * then combined as Σ wᵢ·sᵢ / Σ wᵢ. Unlike RRF it keeps how far apart the scores are, so a
 * passage far ahead on one retriever is not pulled level with the pack by ranks alone.
 */
export function convexFusion(lists: ReadonlyArray<{ weight: number; ranked: readonly Ranked[] }>): Ranked[] {
  const score = new Map<number, number>();
  const total = lists.reduce((s, l) => s + Math.max(0, l.weight), 0);
  if (total <= 0) return [];
  for (const { weight, ranked } of lists) {
    if (weight <= 0 || ranked.length === 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of ranked) {
      if (r.score < lo) lo = r.score;
      if (r.score > hi) hi = r.score;
    }
    const span = hi - lo;
    const w = weight / total;
    for (const r of ranked) {
      const norm = span > 0 ? (r.score - lo) / span : 1;
      score.set(r.id, (score.get(r.id) ?? 0) + w * norm);
    }
  }
  return [...score.entries()].map(([id, s]) => ({ id, score: s })).sort((a, b) => b.score - a.score || a.id - b.id);
}
