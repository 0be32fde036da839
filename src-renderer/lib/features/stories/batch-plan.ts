import type { BatchOrders } from '../../../../src-main/stories/common/contract';

/**
 * How many stories a batch makes before it starts: prompts × author sets, and with `orders: 'all'`
 * every distinct order of each set (a set naming one author twice has fewer distinct orders).
 */

/** n! over the factorials of each author's multiplicity: the distinct orders of one author set. */
export function distinctOrders(set: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const a of set) counts.set(a, (counts.get(a) ?? 0) + 1);
  let n = factorial(set.length);
  for (const c of counts.values()) n /= factorial(c);
  return Math.round(n);
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** Stories per prompt for these author sets (empty sets are not counted). */
export function storiesPerPrompt(authorSets: readonly (readonly string[])[], orders: BatchOrders): number {
  return authorSets.filter((s) => s.length > 0).reduce((sum, s) => sum + (orders === 'all' ? distinctOrders(s) : 1), 0);
}

/** Stories the whole batch makes. */
export function batchStoryCount(
  prompts: number,
  authorSets: readonly (readonly string[])[],
  orders: BatchOrders,
): number {
  return prompts * storiesPerPrompt(authorSets, orders);
}

/** Moves item `from` to `to` in a copy of `list` (keyboard and button reordering). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length || to < 0 || to >= out.length || from === to) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
}
