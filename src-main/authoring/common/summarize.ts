/**
 * Shares, role and involvement from provenance spans, with the definitions of the detector's data
 * (shared/data/README.md; docs/architecture/authoring.md):
 * - involvement = characters written by a model / all characters ('edited-after-llm' characters are
 *   human keystrokes and count as human, as CoAuthor's per-character spans do);
 * - human: involvement 0; generated: the first text that entered the document was a model's and the
 *   model still holds at least half of it; polished: most model characters came from operations that
 *   revise existing text (polish, rewrite, summarize); extended: otherwise (model text added to a human draft).
 */
import type { ProvenanceRole } from './contract';
import type { CharAttr } from './span-table';

/** Model operations that revise text that is already there. */
export const REVISING_OPERATIONS: ReadonlySet<string> = new Set(['polish', 'rewrite', 'summarize']);

export interface ProvenanceSummary {
  shares: Record<string, number>;
  operationShares: Record<string, number>;
  involvement: number;
  role: ProvenanceRole;
}

export function summarize(
  spans: ReadonlyArray<{ start: number; end: number; attr: CharAttr }>,
  nameOf: (authorId: string) => string,
  /** The kind of the author of the first event that inserted text, or null for an empty log. */
  firstWriterKind: 'human' | 'model' | null,
): ProvenanceSummary {
  const total = spans.reduce((n, s) => n + s.end - s.start, 0);
  const byAuthor = new Map<string, number>();
  const byOp = new Map<string, number>();
  let model = 0;
  let revising = 0;
  for (const s of spans) {
    const n = s.end - s.start;
    const name = nameOf(s.attr.authorId);
    byAuthor.set(name, (byAuthor.get(name) ?? 0) + n);
    byOp.set(s.attr.operation, (byOp.get(s.attr.operation) ?? 0) + n);
    if (s.attr.kind === 'model') {
      model += n;
      if (REVISING_OPERATIONS.has(s.attr.operation)) revising += n;
    }
  }
  const fraction = (m: Map<string, number>) =>
    Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, total ? v / total : 0]));
  const involvement = total ? model / total : 0;
  let role: ProvenanceRole;
  if (model === 0) role = 'human';
  else if (firstWriterKind === 'model' && involvement >= 0.5) role = 'generated';
  else if (revising * 2 > model) role = 'polished';
  else role = 'extended';
  return { shares: fraction(byAuthor), operationShares: fraction(byOp), involvement, role };
}
