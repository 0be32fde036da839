import { randomUUID } from 'node:crypto';

/** Sortable-enough, collision-free ids with a readable prefix (`doc_…`, `job_…`). */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}
