import type { LibraryStore } from '../library-store';
import type { Ranked } from './fusion';
import { terms } from './terms';

/** How much full query-term coverage adds, relative to the top fused score. */
const COVERAGE_WEIGHT = 0.5;

/**
 * The optional reranker: cheap cross features between the query and each of the top `depth`
 * fused candidates: the share of the query's distinct terms the passage (text + heading) contains.
 * Passages matching all of the query rise above those matching one rare word many times.
 */
export function rerankByCoverage(
  store: LibraryStore,
  query: string,
  ranked: readonly Ranked[],
  depth: number,
): Ranked[] {
  const q = [...new Set(terms(query))].slice(0, 64);
  if (q.length < 2 || ranked.length === 0) return [...ranked];
  const head = ranked.slice(0, depth);
  const rows = store.chunks(head.map((r) => r.id));
  const top = head[0]!.score || 1;
  const rescored = head.map((r) => {
    const row = rows.get(r.id);
    const have = new Set(terms(`${row?.heading ?? ''} ${row?.text ?? ''}`));
    const coverage = q.filter((t) => have.has(t)).length / q.length;
    return { id: r.id, score: r.score + COVERAGE_WEIGHT * top * coverage };
  });
  rescored.sort((a, b) => b.score - a.score || a.id - b.id);
  return [...rescored, ...ranked.slice(depth)];
}
