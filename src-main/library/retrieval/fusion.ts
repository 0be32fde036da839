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
