/**
 * The Library view's documents: the list (with its folder/tag filter), adding files (uploads) and
 * folders (server-side paths) as jobs, the outcome of each add job file by file, tags, folders and
 * removal with undo. Job progress and Cancel are the jobs bar's; this state only follows its own jobs
 * to refresh the list and keep their per-file results.
 */
import type { JobRecord } from '../../../../src-main/jobs';
import { isJobActive } from '../../../../src-main/jobs/common/job-status';
import type {
  AddFileOutcome,
  AddJobResult,
  LibraryDocument,
  LibraryStatus,
} from '../../../../src-main/library/common/contract';
import { api, errorMessage } from '../../api/client';
import { toasts } from '../shell/toasts.svelte';
import { fileBase64, planUploads } from './files';

/** How long a removed document can be brought back before it is really removed. */
export const UNDO_REMOVE_MS = 8000;

/** One add job this view started, and what came of it. */
export interface AddRun {
  jobId: string;
  /** What was added, in words ("3 files", "/home/me/papers"). */
  label: string;
  status: JobRecord['status'];
  result: AddJobResult | null;
  error: string | null;
}

export class LibraryDocuments {
  all = $state<LibraryDocument[]>([]);
  /** Counts and the dense method search uses now (with its notices, e.g. a missing embedding model). */
  status = $state<LibraryStatus | null>(null);
  loaded = $state(false);
  /** Filter of the list (and default filter of searches): '' = every folder / tag. */
  folder = $state('');
  tag = $state('');
  runs = $state<AddRun[]>([]);
  /** Files refused before upload (unknown kind, too large), shown with the runs' failures. */
  refused = $state<Array<{ name: string; error: string }>>([]);
  uploading = $state<{ done: number; total: number } | null>(null);
  /** Documents removed a moment ago, hidden while their Undo is offered. */
  removing = $state<string[]>([]);
  private pendingRemoval: { ids: string[]; timer: ReturnType<typeof setTimeout> } | null = null;

  /** Every folder and tag in the library, for the filters and the add form. */
  folders = $derived(distinctSorted(this.all.map((d) => d.folder).filter(Boolean)));
  tags = $derived(distinctSorted(this.all.flatMap((d) => d.tags)));
  /** The list as shown: filtered, without documents being removed. */
  shown = $derived(
    this.all.filter(
      (d) =>
        !this.removing.includes(d.id) &&
        (!this.folder || d.folder === this.folder) &&
        (!this.tag || d.tags.includes(this.tag)),
    ),
  );
  running = $derived(this.runs.some((r) => r.status === 'queued' || r.status === 'running'));
  /** Files that failed, across the finished runs and refusals. */
  failures = $derived([
    ...this.refused.map((r) => ({ file: r.name, error: r.error })),
    ...this.runs.flatMap((r) =>
      (r.result?.files ?? [])
        .filter((f): f is AddFileOutcome & { error: string } => f.status === 'failed')
        .map((f) => ({ file: f.file, error: f.error ?? 'Could not be added.' })),
    ),
  ]);

  async refresh(): Promise<void> {
    try {
      const [all, status] = await Promise.all([api.library.list.query({}), api.library.status.query()]);
      this.all = all;
      this.status = status;
      this.loaded = true;
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  /** Uploads picked or dropped files (in batches under the request limit), each batch one add job. */
  async addFiles(
    files: ReadonlyArray<{ file: File; name: string }>,
    options: { folder?: string; tags?: string[] } = {},
  ): Promise<void> {
    const plan = planUploads(files.map((f) => ({ ...f, size: f.file.size })));
    this.refused = plan.refused;
    const total = plan.batches.reduce((n, b) => n + b.length, 0);
    if (total === 0) {
      if (plan.refused.length)
        toasts.error(`Nothing to add: ${plan.refused.map((r) => r.name).join(', ')} cannot be added.`);
      return;
    }
    this.uploading = { done: 0, total };
    try {
      for (const batch of plan.batches) {
        const payload = [];
        for (const f of batch)
          payload.push({ name: f.name.split('/').pop() ?? f.name, base64: await fileBase64(f.file) });
        const { jobId } = await api.library.addFiles.mutate({ files: payload, ...clean(options) });
        this.track(jobId, batch.length === 1 ? batch[0]!.name : `${batch.length} files`);
        this.uploading = { done: this.uploading.done + batch.length, total };
      }
    } catch (e) {
      toasts.error(errorMessage(e));
    } finally {
      this.uploading = null;
    }
  }

  /** Adds files or folders the app can read where it runs (the CLI's `library add PATH...`). */
  async addPaths(paths: string[], options: { folder?: string; tags?: string[] } = {}): Promise<boolean> {
    const list = paths.map((p) => p.trim()).filter(Boolean);
    if (list.length === 0) return false;
    try {
      this.refused = [];
      const { jobId } = await api.library.add.mutate({ paths: list, ...clean(options) });
      this.track(jobId, list.length === 1 ? list[0]! : `${list.length} paths`);
      return true;
    } catch (e) {
      toasts.error(errorMessage(e));
      return false;
    }
  }

  /** Takes in a job event: one of this view's add jobs moved on. */
  onJob(job: JobRecord): void {
    const run = this.runs.find((r) => r.jobId === job.id);
    if (!run || !isJobActive(run)) return;
    run.status = job.status;
    if (isJobActive(job)) return;
    run.result = (job.result as AddJobResult | undefined) ?? null;
    run.error = job.status === 'failed' ? (job.error ?? 'The add job failed.') : null;
    if (job.status === 'cancelled') toasts.show(`Adding ${run.label} was cancelled; what was added before stays.`);
    if (job.status === 'succeeded' && run.result) {
      const r = run.result;
      const parts = [
        r.added && `${r.added} added`,
        r.updated && `${r.updated} re-indexed`,
        r.unchanged && `${r.unchanged} unchanged`,
        r.failed && `${r.failed} failed`,
      ].filter(Boolean);
      toasts.show(`Library: ${parts.join(', ') || 'nothing to add'}.`);
    }
    void this.refresh();
  }

  /** Clears the finished runs' outcomes and the refusals. */
  clearOutcomes(): void {
    this.runs = this.runs.filter((r) => isJobActive(r));
    this.refused = [];
  }

  async setTags(id: string, tags: string[]): Promise<void> {
    await this.update(id, () => api.library.setTags.mutate({ id, tags }), { tags });
  }

  async setFolder(id: string, folder: string): Promise<void> {
    await this.update(id, () => api.library.setFolder.mutate({ id, folder }), { folder });
  }

  /**
   * Removes documents after UNDO_REMOVE_MS unless Undo is pressed: they disappear from the list at
   * once, and their passages from searches only once really removed.
   */
  remove(ids: string[]): void {
    this.commitRemoval();
    const names = this.all.filter((d) => ids.includes(d.id)).map((d) => d.fileName);
    this.removing = [...ids];
    this.pendingRemoval = { ids, timer: setTimeout(() => this.commitRemoval(), UNDO_REMOVE_MS) };
    toasts.show(names.length === 1 ? `Removed “${names[0]}” from the library.` : `Removed ${names.length} documents.`, {
      action: { label: 'Undo', run: () => this.undoRemove() },
      timeoutMs: UNDO_REMOVE_MS,
    });
  }

  undoRemove(): void {
    if (!this.pendingRemoval) return;
    clearTimeout(this.pendingRemoval.timer);
    this.pendingRemoval = null;
    this.removing = [];
  }

  /** Removes what is waiting for its Undo now (the toast ran out, another removal, the view closes). */
  commitRemoval(): void {
    const pending = this.pendingRemoval;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pendingRemoval = null;
    void api.library.remove
      .mutate({ ids: pending.ids })
      .then(() => this.refresh())
      .catch((e: unknown) => toasts.error(errorMessage(e)))
      .finally(() => (this.removing = this.removing.filter((id) => !pending.ids.includes(id))));
  }

  private track(jobId: string, label: string): void {
    this.runs = [{ jobId, label, status: 'queued' as const, result: null, error: null }, ...this.runs].slice(0, 20);
    // A small job can finish before this answer arrives: read its state once.
    void api.jobs.get
      .query({ id: jobId })
      .then((j) => this.onJob(j))
      .catch(() => undefined);
  }

  private async update(id: string, run: () => Promise<unknown>, patch: Partial<LibraryDocument>): Promise<void> {
    const doc = this.all.find((d) => d.id === id);
    if (!doc) return;
    const before = { ...doc };
    Object.assign(doc, patch);
    try {
      await run();
    } catch (e) {
      Object.assign(doc, before);
      toasts.error(errorMessage(e));
    }
  }
}

/** Distinct values, sorted (a plain function: no reactive Set needed for a derived list). */
const distinctSorted = (values: string[]): string[] => values.filter((v, i) => values.indexOf(v) === i).sort();

/** Options without empty fields (the API treats a missing folder as the default one). */
function clean(o: { folder?: string; tags?: string[] }): { folder?: string; tags?: string[] } {
  return {
    ...(o.folder?.trim() ? { folder: o.folder.trim() } : {}),
    ...(o.tags?.length ? { tags: o.tags } : {}),
  };
}
