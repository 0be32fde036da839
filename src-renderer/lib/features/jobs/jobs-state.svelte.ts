import type { JobRecord } from '../../../../src-main/jobs';
import { api, errorMessage } from '../../api/client';
import { toasts } from '../shell/toasts.svelte';

/** Live view of background jobs, fed by the jobs.onDidChange subscription. */
export class JobsState {
  jobs = $state<JobRecord[]>([]);
  active = $derived(this.jobs.filter((j) => j.status === 'running' || j.status === 'queued'));
  private unsubscribe: (() => void) | null = null;

  async start(): Promise<void> {
    try {
      this.jobs = await api.jobs.list.query({ limit: 50 });
    } catch (e) {
      toasts.error(errorMessage(e));
    }
    const sub = api.jobs.onDidChange.subscribe(undefined, {
      onData: (job) => {
        const i = this.jobs.findIndex((j) => j.id === job.id);
        if (i >= 0) this.jobs[i] = job;
        else this.jobs.unshift(job);
        if (job.status === 'failed') toasts.error(`${job.kind} failed: ${job.error ?? 'unknown error'}`);
      },
      onError: (e) => toasts.error(errorMessage(e)),
    });
    this.unsubscribe = () => sub.unsubscribe();
  }

  stop(): void {
    this.unsubscribe?.();
  }

  async cancel(id: string): Promise<void> {
    try {
      await api.jobs.cancel.mutate({ id });
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }
}
