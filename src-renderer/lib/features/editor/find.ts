/** Find in the plain text: every match of `query` (literal; case-insensitive unless `matchCase`). */
export function findAll(text: string, query: string, matchCase = false): Array<{ from: number; to: number }> {
  if (!query) return [];
  const hay = matchCase ? text : text.toLowerCase();
  const needle = matchCase ? query : query.toLowerCase();
  // Lower-casing can change lengths (İ → i̇); then offsets would drift, so search the text as is.
  const lengthsKept = hay.length === text.length && needle.length === query.length;
  const h = lengthsKept ? hay : text;
  const n = lengthsKept ? needle : query;
  const out: Array<{ from: number; to: number }> = [];
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + n.length)) out.push({ from: i, to: i + n.length });
  return out;
}
