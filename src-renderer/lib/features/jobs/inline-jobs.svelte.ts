import { SvelteSet } from 'svelte/reactivity';

/**
 * Jobs a view is showing inline right now (a check's progress, a catalog row's download). The
 * jobs bar leaves them out, so a job and its error appear in one place.
 */
const shown = new SvelteSet<string>();
/** How many components show each job (not reactive: `shown` is what the bar reads). */
// eslint-disable-next-line svelte/prefer-svelte-reactivity -- deliberately not reactive (read inside effects)
const counts = new Map<string, number>();

/** Whether some view shows this job inline now. */
export const isShownInline = (jobId: string): boolean => shown.has(jobId);

/**
 * Marks a job as shown inline until the returned function runs; made for `$effect`:
 * `$effect(() => (job ? showJobInline(job.id) : undefined))`. It only writes reactive state, so the
 * calling effect does not come to depend on it (and never re-runs itself).
 */
export function showJobInline(jobId: string): () => void {
  counts.set(jobId, (counts.get(jobId) ?? 0) + 1);
  shown.add(jobId);
  return () => {
    const n = (counts.get(jobId) ?? 1) - 1;
    if (n > 0) counts.set(jobId, n);
    else {
      counts.delete(jobId);
      shown.delete(jobId);
    }
  };
}
