/** The export form's pure rules: a valid split, and what a finished export wrote. */

/** Split shares in percent: train, validation, test. */
export type Split = [number, number, number];

/** Why a split cannot be used, or null: three whole shares from 0 to 100 that add up to 100. */
export function splitProblem(split: readonly number[]): string | null {
  if (split.length !== 3 || split.some((n) => !Number.isInteger(n) || n < 0 || n > 100))
    return 'Each share is a whole number from 0 to 100.';
  const sum = split[0]! + split[1]! + split[2]!;
  return sum === 100 ? null : `The shares add up to ${sum}, not 100.`;
}

/** One entry of a finished export's listing: a file or folder and what it holds. */
export interface ExportedEntry {
  path: string;
  note: string;
}

/**
 * What a finished export wrote, from its job result (`{dir, stories, splits, emptyStories, unit}`):
 * the three story tables, the PAN folders with their problem counts, and the dataset card.
 */
export function exportListing(result: unknown): ExportedEntry[] {
  if (!result || typeof result !== 'object') return [];
  const r = result as { dir?: unknown; stories?: unknown; splits?: unknown; unit?: unknown };
  if (typeof r.dir !== 'string') return [];
  const dir = r.dir.replace(/[\\/]+$/, '');
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const at = (...rel: string[]) => [dir, ...rel].join(sep);
  const n = typeof r.stories === 'number' ? r.stories : null;
  const rows = n === null ? '' : `${n} ${n === 1 ? 'story' : 'stories'}`;
  const splits = (r.splits && typeof r.splits === 'object' ? r.splits : {}) as Record<string, unknown>;
  const unit = typeof r.unit === 'string' ? r.unit : 'unit';
  return [
    { path: at('stories.jsonl'), note: rows },
    { path: at('stories.csv'), note: rows },
    { path: at('stories.parquet'), note: rows },
    ...['train', 'validation', 'test'].map((name) => {
      const count = typeof splits[name] === 'number' ? (splits[name] as number) : 0;
      return {
        path: at('pan', name) + sep,
        note: `${count} ${count === 1 ? 'problem' : 'problems'}, one ${unit} a line`,
      };
    }),
    { path: at('README.md'), note: 'dataset card' },
  ];
}
