/**
 * What the provenance panel plots: each author's share and each operation's share of the current
 * characters, in a stable order with display labels. Shares come from the spans, which carry author
 * ids (the `shares` record is keyed by name, and two authors may share a name).
 */
import { MODEL_EDIT_OPERATIONS, type ProvenanceSpan } from '../../../../src-main/authoring/common/contract';
import { operationShareLabel } from '../../../../src-main/authoring/common/operation-labels';

export interface AuthorShare {
  authorId: string;
  author: string;
  kind: ProvenanceSpan['kind'];
  chars: number;
  /** Fraction of the current characters, in [0, 1]. */
  share: number;
}

/** Authors by their share of the text, largest first (ties: by name, so the order is stable). */
export function authorShares(spans: readonly ProvenanceSpan[]): AuthorShare[] {
  const by = new Map<string, AuthorShare>();
  let total = 0;
  for (const s of spans) {
    const n = s.end - s.start;
    total += n;
    const a = by.get(s.authorId) ?? { authorId: s.authorId, author: s.author, kind: s.kind, chars: 0, share: 0 };
    a.chars += n;
    by.set(s.authorId, a);
  }
  return [...by.values()]
    .map((a) => ({ ...a, share: total > 0 ? a.chars / total : 0 }))
    .sort((a, b) => b.chars - a.chars || a.author.localeCompare(b.author));
}

const MODEL_OPS = new Set<string>(MODEL_EDIT_OPERATIONS);

export { operationShareLabel } from '../../../../src-main/authoring/common/operation-labels';

export interface OperationShare {
  operation: string;
  label: string;
  share: number;
  /** Text a model produced (an LLM operation), as opposed to a person's operation. */
  model: boolean;
}

/** Operations by share, largest first; those with no characters left are dropped. */
export function operationShares(shares: Readonly<Record<string, number>>): OperationShare[] {
  return Object.entries(shares)
    .filter(([, share]) => share > 0)
    .map(([operation, share]) => ({
      operation,
      label: operationShareLabel(operation),
      share,
      model: MODEL_OPS.has(operation),
    }))
    .sort((a, b) => b.share - a.share || a.label.localeCompare(b.label));
}

/** A share as a percentage for labels: one decimal under 10%, so small contributions don't read as 0%. */
export function sharePct(x: number): string {
  const p = x * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return p < 10 ? `${(Math.round(p * 10) / 10).toString()}%` : `${Math.round(p)}%`;
}
