/** Counting a GGUF model's parameters for the LM sanity gate (common/lm-gate.ts). */

/** Sum over tensors of the product of their dimensions. */
export function countParameters(tensors: readonly { dims: readonly number[] }[]): number | null {
  if (tensors.length === 0) return null;
  let n = 0;
  for (const t of tensors) n += t.dims.reduce((a, d) => a * d, 1);
  return n;
}
