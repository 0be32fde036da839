import { getContext, setContext } from 'svelte';
import type { JobRecord } from '../../../../src-main/jobs';
import { JOB_KINDS } from '../../../../src-main/jobs/common/job-kinds';
import { isJobActive } from '../../../../src-main/jobs/common/job-status';
import type { Author } from '../../../../src-main/authorship';
import type { CatalogModelInfo, EndpointInfo, InstalledModelInfo, ProviderHealth } from '../../../../src-main/llm/service';
import { api, errorMessage } from '../../api/client';
import { toasts } from '../shell/toasts.svelte';

/** A catalog download as the progress bar shows it. */
export interface DownloadView {
  jobId: string;
  status: JobRecord['status'];
  done: number;
  total: number | null;
  /** Bytes per second, smoothed; 0 until two samples arrived. */
  speed: number;
  etaMs: number | null;
  error: string | null;
}

/**
 * Everything the Models view shows: provider health, endpoints, installed models, the catalog
 * with live download progress (from `jobs.onDidChange`), and authors. Each list loads on its own
 * so a slow endpoint probe does not hold back the rest.
 */
export class ModelsState {
  health = $state<ProviderHealth[] | null>(null);
  endpoints = $state<EndpointInfo[]>([]);
  installed = $state<InstalledModelInfo[] | null>(null);
  catalog = $state<CatalogModelInfo[] | null>(null);
  authors = $state<Author[] | null>(null);
  downloads = $state<Record<string, DownloadView>>({});
  /** Per-section load errors, shown in place of the section's content. */
  errors = $state<Record<'health' | 'installed' | 'catalog' | 'authors', string | null>>({
    health: null,
    installed: null,
    catalog: null,
    authors: null,
  });
  checking = $state(false);
  modelAuthors = $derived((this.authors ?? []).filter((a) => a.kind === 'model'));
  /** Last progress sample per job, for the speed estimate (not reactive: only `downloads` is shown). */
  private samples: Record<string, { t: number; done: number }> = {};
  private unsubscribe: (() => void) | null = null;

  start(): void {
    void this.refreshAll();
    const sub = api.jobs.onDidChange.subscribe(undefined, {
      onData: (job) => this.onJob(job),
      onError: (e) => toasts.error(errorMessage(e)),
    });
    this.unsubscribe = () => sub.unsubscribe();
  }

  stop(): void {
    this.unsubscribe?.();
  }

  async refreshAll(): Promise<void> {
    await Promise.all([this.refreshInstalled(), this.refreshCatalog(), this.refreshAuthors(), this.refreshHealth()]);
  }

  async refreshHealth(): Promise<void> {
    this.checking = true;
    try {
      const [health, endpoints] = await Promise.all([api.llm.health.query(), api.llm.endpoints.query()]);
      this.health = health;
      this.endpoints = endpoints;
      this.errors.health = null;
    } catch (e) {
      this.errors.health = errorMessage(e);
    } finally {
      this.checking = false;
    }
  }

  async refreshInstalled(): Promise<void> {
    try {
      this.installed = await api.llm.installed.query();
      this.errors.installed = null;
    } catch (e) {
      this.errors.installed = errorMessage(e);
    }
  }

  async refreshCatalog(): Promise<void> {
    try {
      this.catalog = await api.llm.catalog.query();
      this.errors.catalog = null;
      const jobs = await api.jobs.list.query({ limit: 50 });
      for (const job of jobs) if (job.kind === JOB_KINDS.modelsDownload && isJobActive(job)) this.onJob(job);
    } catch (e) {
      this.errors.catalog = errorMessage(e);
    }
  }

  async refreshAuthors(): Promise<void> {
    try {
      this.authors = await api.llm.authors.query();
      this.errors.authors = null;
    } catch (e) {
      this.errors.authors = errorMessage(e);
    }
  }

  /** Local model ids plus every reachable provider's models, for the author form. */
  modelsOf(ref: string): string[] {
    if (ref === 'local') return (this.installed ?? []).filter((m) => !m.error).map((m) => m.id);
    return this.health?.find((h) => h.ref === ref)?.models.map((m) => m.id) ?? [];
  }

  endpointName = (id: string): string | undefined => this.endpoints.find((e) => e.id === id)?.name;

  /** Runs a mutation, reports its error as a toast, and answers whether it worked. */
  async attempt(work: () => Promise<unknown>, done?: string): Promise<boolean> {
    try {
      await work();
      if (done) toasts.show(done);
      return true;
    } catch (e) {
      toasts.error(errorMessage(e));
      return false;
    }
  }

  async download(catalogId: string): Promise<void> {
    try {
      const job = await api.llm.download.mutate({ catalogId });
      this.onJob(job);
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async cancelDownload(catalogId: string): Promise<void> {
    const d = this.downloads[catalogId];
    if (d) await this.attempt(() => api.jobs.cancel.mutate({ id: d.jobId }));
  }

  private onJob(job: JobRecord): void {
    if (job.kind !== JOB_KINDS.modelsDownload) return;
    const catalogId = (job.payload as { catalogId?: string } | undefined)?.catalogId;
    if (!catalogId) return;
    const now = performance.now();
    const prev = this.samples[job.id];
    const old = this.downloads[catalogId];
    let speed = old?.jobId === job.id ? old.speed : 0;
    if (prev && now - prev.t > 200 && job.done >= prev.done) {
      const current = ((job.done - prev.done) * 1000) / (now - prev.t);
      speed = speed ? speed * 0.7 + current * 0.3 : current;
      this.samples[job.id] = { t: now, done: job.done };
    } else if (!prev) {
      this.samples[job.id] = { t: now, done: job.done };
    }
    const etaMs = job.etaMs ?? (speed > 0 && job.total ? ((job.total - job.done) / speed) * 1000 : null);
    this.downloads[catalogId] = { jobId: job.id, status: job.status, done: job.done, total: job.total, speed, etaMs, error: job.error };
    if (job.status === 'succeeded') {
      toasts.show(`Downloaded ${this.catalog?.find((c) => c.id === catalogId)?.name ?? catalogId}.`);
      delete this.downloads[catalogId];
      void this.refreshInstalled().then(() => this.refreshCatalog());
    } else if (job.status === 'cancelled') {
      delete this.downloads[catalogId];
    }
  }
}

const KEY = Symbol('palimpsest.models');

/** Creates the Models view's state and shares it with its components. */
export function setupModels(): ModelsState {
  return setContext(KEY, new ModelsState());
}

/** The Models view's state; `who` names the caller for a helpful error when used outside the view. */
export function useModels(who: string): ModelsState {
  const state = getContext<ModelsState | undefined>(KEY);
  if (!state) throw new Error(`${who} must be used inside <ModelsView>`);
  return state;
}
