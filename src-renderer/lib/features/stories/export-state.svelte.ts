import type { JobRecord } from '../../../../src-main/jobs';
import { isJobActive } from '../../../../src-main/jobs/common/job-status';
import { EXPORT_UNITS, type ExportUnit } from '../../../../src-main/stories/common/contract';
import { api, errorMessage } from '../../api/client';
import { isLaterState } from '../jobs/jobs-state.svelte';
import { exportListing, splitProblem, type Split } from './export-files';

const DIR_KEY = 'palimpsest.stories.exportDir';

/**
 * The export form and its job: a dataset folder (on the machine running Palimpsest), unit, split
 * and seed; progress comes from `jobs.onDidChange`, the written files from the job's result.
 */
export class ExportState {
  dir = $state(localStorage.getItem(DIR_KEY) ?? '');
  unit = $state<ExportUnit>(EXPORT_UNITS[0]);
  split = $state<Split>([80, 10, 10]);
  seed = $state(0);
  batchId = $state('');
  job = $state<JobRecord | null>(null);
  error = $state<string | null>(null);
  starting = $state(false);
  running = $derived(this.starting || (this.job !== null && isJobActive(this.job)));
  files = $derived(this.job?.status === 'succeeded' ? exportListing(this.job.result) : []);
  private unsubscribe: (() => void) | null = null;

  problem = $derived(!this.dir.trim() ? 'Enter the folder to write the dataset to.' : splitProblem(this.split));

  start(): void {
    if (this.unsubscribe) return;
    const sub = api.jobs.onDidChange.subscribe(undefined, {
      onData: (job) => this.onJob(job),
      onError: () => {},
    });
    this.unsubscribe = () => sub.unsubscribe();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  async run(): Promise<void> {
    if (this.problem || this.running) return;
    this.starting = true;
    this.error = null;
    localStorage.setItem(DIR_KEY, this.dir.trim());
    try {
      const { jobId } = await api.stories.export.mutate({
        dir: this.dir.trim(),
        unit: this.unit,
        split: [...this.split],
        seed: this.seed,
        ...(this.batchId ? { batchId: this.batchId } : {}),
      });
      this.onJob(await api.jobs.get.query({ id: jobId }));
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    if (!this.job) return;
    try {
      await api.jobs.cancel.mutate({ id: this.job.id });
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private onJob(job: JobRecord): void {
    if (this.job && job.id !== this.job.id) return;
    if (!this.job && !this.starting) return;
    if (this.job && !isLaterState(job, this.job)) return;
    this.job = job;
  }
}
