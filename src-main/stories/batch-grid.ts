import { AppError } from '../core/app-error';
import type { BatchOrders, StoryPrompt } from './common/contract';
import type { BatchUnit } from './batch-job';

/** Most stories one batch may hold. */
export const MAX_BATCH_STORIES = 100_000;

/**
 * The stories of a batch: every prompt × every author set × (orders `all`) every ordering of the
 * set's authors, in that nesting order. Duplicate orderings (a set naming one author twice) appear once.
 * Throws AppError('bad_request') past MAX_BATCH_STORIES.
 */
export function expandBatch(
  prompts: readonly StoryPrompt[],
  authorSets: readonly string[][],
  orders: BatchOrders,
): BatchUnit[] {
  const orderings = authorSets.map((set) => (orders === 'all' ? uniquePermutations(set) : [set]));
  const count = prompts.length * orderings.reduce((s, o) => s + o.length, 0);
  if (count > MAX_BATCH_STORIES) {
    throw new AppError(
      'bad_request',
      `This batch would write ${count.toLocaleString('en')} stories; at most ${MAX_BATCH_STORIES.toLocaleString('en')} fit one batch.`,
    );
  }
  const units: BatchUnit[] = [];
  for (const p of prompts)
    for (const set of orderings)
      for (const authorIds of set) units.push({ prompt: p.text, source: p.source, authorIds });
  return units;
}

function uniquePermutations(items: readonly string[]): string[][] {
  const out = new Map<string, string[]>();
  const walk = (rest: string[], acc: string[]): void => {
    if (rest.length === 0) {
      out.set(JSON.stringify(acc), acc);
      return;
    }
    rest.forEach((x, i) => walk([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, x]));
  };
  walk([...items], []);
  return [...out.values()];
}
