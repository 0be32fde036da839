/** The single changed region between two texts: what was removed at `start` and what replaced it. */
export interface TextChange {
  start: number;
  deleted: string;
  inserted: string;
}

/**
 * Common-prefix/common-suffix diff. Edits arrive every autosave (one typing burst or one paste),
 * so a single changed region describes them exactly and costs O(n) with no library.
 */
export function diffSingleRegion(before: string, after: string): TextChange | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (
    tail < max - start &&
    before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)
  )
    tail++;
  return {
    start,
    deleted: before.slice(start, before.length - tail),
    inserted: after.slice(start, after.length - tail),
  };
}
