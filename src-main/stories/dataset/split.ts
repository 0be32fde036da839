/** Seeded train/validation/test split: same seed and stories → same split on every machine. */

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/** mulberry32: tiny, fast, and identical across platforms. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the seeded generator; returns a new array. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const rnd = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Split sizes for `n` items from percentages (largest remainder, so they sum to n and a split
 * with a non-zero share gets an item whenever there are enough to go round).
 */
export function splitSizes(n: number, percents: readonly [number, number, number]): [number, number, number] {
  const total = percents[0] + percents[1] + percents[2];
  if (!(total > 0) || percents.some((p) => p < 0 || !Number.isFinite(p))) {
    throw new Error('split percentages must be non-negative numbers with a positive sum');
  }
  const exact = percents.map((p) => (n * p) / total);
  const sizes = exact.map(Math.floor) as [number, number, number];
  let left = n - sizes[0] - sizes[1] - sizes[2];
  const order = [0, 1, 2].sort((a, b) => exact[b]! - sizes[b]! - (exact[a]! - sizes[a]!) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    sizes[i]!++;
    left--;
  }
  return sizes;
}

/** Assigns items to splits: shuffled with `seed`, then cut by `splitSizes`. */
export function splitItems<T>(
  items: readonly T[],
  percents: readonly [number, number, number],
  seed: number,
): Record<SplitName, T[]> {
  const shuffled = seededShuffle(items, seed);
  const [a, b] = splitSizes(items.length, percents);
  return { train: shuffled.slice(0, a), validation: shuffled.slice(a, a + b), test: shuffled.slice(a + b) };
}
