import { getContext, setContext } from 'svelte';
import type { CheckDetail, CheckItem, CheckSummary, ChecksStatus, ProfileSummary } from '../../../../src-main/checks';
import type { LmGateResult, OperatingPoint } from '../../../../src-main/detection';
import { OPERATING_POINTS } from '../../../../src-main/detection/common/bands';
import type { JobRecord } from '../../../../src-main/jobs';
import { isJobActive } from '../../../../src-main/jobs/common/job-status';
import type { InstalledModelInfo } from '../../../../src-main/llm/service';
import { api, errorMessage } from '../../api/client';
import { isLaterState } from '../jobs/jobs-state.svelte';
import { toasts } from '../shell/toasts.svelte';
import { download, slug } from './format';
import { readFile, type PickedFile, type ReadResult } from './files';

/** Where the local model chosen for LM-assisted checks is remembered ('' = off). */
const LM_MODEL_KEY = 'palimpsest.detect.lmModel';
/** Where the chosen operating point is remembered. */
const POINT_KEY = 'palimpsest.detect.operatingPoint';
const CALIBRATION_KEY = 'palimpsest.detect.calibration';

/** The LM sanity gate's answer for a model, or where it stands while it is measured. */
export type GateState = LmGateResult | { checking: true } | { error: string };

/** Files that could not be read in the browser (shown next to the batch; never sent). */
export interface Unread {
  name: string;
  error: string;
}

/**
 * Everything the Detect view shows: whether a model is installed, recent checks, the open check
 * (a pasted text or a batch whose job streams progress), the document shown in detail, and the
 * calibration profiles.
 */
export class DetectState {
  status = $state<ChecksStatus | null>(null);
  history = $state<CheckSummary[]>([]);
  current = $state<CheckDetail | null>(null);
  /** The document shown in detail (with its text, for highlighting). */
  selected = $state<CheckItem | null>(null);
  job = $state<JobRecord | null>(null);
  unread = $state<Unread[]>([]);
  profiles = $state<ProfileSummary[]>([]);
  checking = $state(false);
  /** Set while files are read before a batch starts. */
  reading = $state<{ done: number; total: number } | null>(null);
  error = $state<string | null>(null);
  /** Installed local models usable for LM-assisted text checks; null until listed. */
  lmModels = $state<InstalledModelInfo[] | null>(null);
  /** The chosen model's id ('' = off), kept even while it is not installed (it may come back). */
  lmChoice = $state(localStorage.getItem(LM_MODEL_KEY) ?? '');
  /** The sanity gate's verdict per model id (measured when a model is chosen, then cached). */
  lmGates = $state<Record<string, GateState>>({});
  /** The model checks are assisted by: the choice, when it is installed and passed the gate. */
  lmModel = $derived(
    this.lmModels?.some((m) => m.id === this.lmChoice) && isUsable(this.lmGates[this.lmChoice]) ? this.lmChoice : '',
  );
  /** Operating point for new checks (texts and batches): strict by default. */
  operatingPoint = $state<OperatingPoint>(readPoint());
  /** Whether the calibration panel is open (recalibration stays one click away). */
  calibrationOpen = $state(localStorage.getItem(CALIBRATION_KEY) === 'open');
  /** Model each LM-assisted batch started in this session was given (by check id). */
  batchLm = $state<Record<string, string>>({});
  /** Set while a text check runs with LM assistance: the model scoring it. */
  checkingWith = $state<string | null>(null);
  running = $derived(this.job !== null && isJobActive(this.job));
  private subs: Array<() => void> = [];
  /** Latest state of each job seen in events (not reactive: only `job` is shown). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- deliberately not reactive (a cache)
  private seenJobs = new Map<string, JobRecord>();
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  start(): void {
    void this.refreshStatus();
    void this.refreshHistory();
    void this.refreshProfiles();
    void this.refreshLmModels();
    const jobs = api.jobs.onDidChange.subscribe(undefined, { onData: (j) => this.onJob(j), onError: () => {} });
    const checks = api.checks.onDidChange.subscribe(undefined, {
      onData: (e) => {
        if (e.kind === 'profiles-changed') void this.refreshProfiles().then(() => this.refreshStatus());
        else void this.refreshHistory();
      },
      onError: () => {},
    });
    this.subs = [() => jobs.unsubscribe(), () => checks.unsubscribe()];
    // Back in the view: catch up with what happened to the open check while it was not shown.
    if (this.current) void this.catchUp(this.current.id);
  }

  private async catchUp(id: string): Promise<void> {
    try {
      const jobId = this.job?.id ?? this.current?.jobId;
      if (jobId && this.current?.kind === 'batch') this.adoptJob(await api.jobs.get.query({ id: jobId }));
      if (this.current?.id === id) await this.reloadCurrent(false);
    } catch {
      // The check may have been deleted meanwhile; the history shows what is left.
    }
  }

  stop(): void {
    for (const s of this.subs) s();
    this.subs = [];
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }

  async refreshStatus(): Promise<void> {
    try {
      this.status = await api.checks.status.query();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  async refreshHistory(): Promise<void> {
    try {
      this.history = await api.checks.list.query({ limit: 50 });
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  /** Lists installed local models for the LM-assisted control (quietly: the control then stays hidden). */
  async refreshLmModels(): Promise<void> {
    try {
      this.lmModels = (await api.llm.installed.query()).filter((m) => !m.error);
      if (this.lmChoice && this.lmModels.some((m) => m.id === this.lmChoice)) void this.checkGate(this.lmChoice);
    } catch {
      this.lmModels = null;
    }
  }

  /** Asks the core whether model `id` may move verdicts (parameter floor, perplexity on a reference text). */
  async checkGate(id: string): Promise<void> {
    const known = this.lmGates[id];
    if (known && !('error' in known)) return;
    this.lmGates = { ...this.lmGates, [id]: { checking: true } };
    try {
      const gate = await api.checks.lmGate.query({ model: id });
      this.lmGates = { ...this.lmGates, [id]: gate };
    } catch (e) {
      this.lmGates = { ...this.lmGates, [id]: { error: errorMessage(e) } };
    }
  }

  setOperatingPoint(p: OperatingPoint): void {
    this.operatingPoint = p;
    localStorage.setItem(POINT_KEY, p);
  }

  setCalibrationOpen(open: boolean): void {
    this.calibrationOpen = open;
    localStorage.setItem(CALIBRATION_KEY, open ? 'open' : 'closed');
  }

  /** Turns LM-assisted text checks on with model `id`, or off with ''; remembered across reloads. */
  setLmModel(id: string): void {
    this.lmChoice = id;
    localStorage.setItem(LM_MODEL_KEY, id);
    if (id) void this.checkGate(id);
  }

  async refreshProfiles(): Promise<void> {
    try {
      this.profiles = await api.checks.listProfiles.query();
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  /** Scores pasted text now (with the chosen local model when LM-assisted); the result replaces the open check. */
  async checkText(text: string): Promise<void> {
    if (!text.trim() || this.checking) return;
    const lmModel = this.lmModel;
    this.checking = true;
    this.checkingWith = lmModel || null;
    this.error = null;
    try {
      const detail = await api.checks.checkText.mutate({
        text,
        operatingPoint: this.operatingPoint,
        ...(lmModel ? { lmModel } : {}),
      });
      this.unread = [];
      this.job = null;
      this.current = detail;
      this.selected = detail.items[0] ?? null;
      void this.refreshHistory();
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.checking = false;
      this.checkingWith = null;
    }
  }

  /** Reads the files (docx/pdf through the app) and starts a batch check job over them. */
  async checkFiles(files: PickedFile[], name?: string): Promise<void> {
    if (files.length === 0) return;
    this.error = null;
    this.reading = { done: 0, total: files.length };
    const read: ReadResult[] = [];
    try {
      for (const f of files) {
        read.push(await readFile(f));
        this.reading = { done: read.length, total: files.length };
      }
    } finally {
      this.reading = null;
    }
    const ok = read.filter((r): r is { name: string; text: string } => 'text' in r);
    const unread = read.filter((r): r is Unread => 'error' in r);
    if (ok.length === 0) {
      this.unread = unread;
      this.error =
        files.length === 1
          ? `${unread[0]?.name}: ${unread[0]?.error}`
          : `None of these files could be read: ${unread
              .slice(0, 5)
              .map((u) => `${u.name} (${u.error.replace(/\.$/, '')})`)
              .join('; ')}${unread.length > 5 ? `; and ${unread.length - 5} more` : ''}.`;
      return;
    }
    try {
      // Files that could not be read go with the batch as failed documents, so it counts every file chosen.
      const files = read.map((r) => ('text' in r ? r : { name: r.name, error: r.error }));
      const lmModel = this.lmModel;
      const { check, job } = await api.checks.startBatch.mutate({
        files,
        operatingPoint: this.operatingPoint,
        ...(lmModel ? { lmModel } : {}),
        ...(name ? { name } : {}),
      });
      this.unread = [];
      this.selected = null;
      if (lmModel) this.batchLm = { ...this.batchLm, [check.id]: lmModel };
      this.current = { ...check, items: [] };
      this.adoptJob(job);
      void this.refreshHistory();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  /** Opens a stored check (from the history). */
  async open(id: string): Promise<void> {
    try {
      const detail = await api.checks.get.query({ id });
      this.current = detail;
      this.unread = [];
      this.error = null;
      this.job = null;
      if (detail.jobId && isJobActive(detail)) {
        this.adoptJob(await api.jobs.get.query({ id: detail.jobId }));
      }
      this.selected = null;
      if (detail.items.length === 1) await this.select(0);
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  /** Shows one document of the open check in detail. */
  async select(position: number | null): Promise<void> {
    const c = this.current;
    if (!c || position === null) {
      this.selected = null;
      return;
    }
    try {
      this.selected = await api.checks.getItem.query({ id: c.id, position });
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await api.checks.delete.mutate({ id });
      if (this.current?.id === id) {
        this.current = null;
        this.selected = null;
        this.job = null;
      }
      await this.refreshHistory();
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async cancel(): Promise<void> {
    if (!this.job) return;
    try {
      // The 'cancelled' event may arrive before this answer (which can still say 'running').
      this.adoptJob(await api.jobs.cancel.mutate({ id: this.job.id }));
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async exportCsv(): Promise<void> {
    const c = this.current;
    if (!c) return;
    try {
      const { csv } = await api.checks.exportCsv.query({ id: c.id });
      download(`${slug(c.name)}.csv`, csv, 'text/csv;charset=utf-8');
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  /** The HTML report of the open check (or of the selected document only). */
  async reportHtml(onlySelected = false): Promise<string | null> {
    const c = this.current;
    if (!c) return null;
    try {
      const position = onlySelected && this.selected ? this.selected.position : undefined;
      return (await api.checks.report.query({ id: c.id, ...(position !== undefined ? { position } : {}) })).html;
    } catch (e) {
      toasts.error(errorMessage(e));
      return null;
    }
  }

  /** Downloads the HTML report of the open check, or of the selected document only. */
  async downloadReport(onlySelected = false): Promise<void> {
    const html = await this.reportHtml(onlySelected);
    const name = onlySelected && this.selected ? this.selected.source.split(/[\\/]/).pop()! : this.current?.name;
    if (html && name) download(`${slug(name)}-report.html`, html, 'text/html;charset=utf-8');
  }

  /**
   * Opens the print dialog on the report ("Save as PDF" is one of its destinations). The report
   * is printed from a hidden iframe, so the app itself is not what gets printed.
   */
  async printReport(): Promise<void> {
    const html = await this.reportHtml();
    if (!html) return;
    const frame = document.createElement('iframe');
    frame.setAttribute('aria-hidden', 'true');
    frame.style.cssText = 'position:fixed;width:0;height:0;border:0;left:-10px;top:-10px';
    frame.srcdoc = html;
    frame.onload = () => {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
      setTimeout(() => frame.remove(), 60_000);
    };
    document.body.append(frame);
  }

  async createProfile(input: { name: string; human: string[]; llm: string[] }): Promise<ProfileSummary | null> {
    try {
      const p = await api.checks.createProfile.mutate(input);
      await this.refreshProfiles();
      return p;
    } catch (e) {
      toasts.error(errorMessage(e));
      return null;
    }
  }

  async activateProfile(id: string): Promise<void> {
    await this.profileAction(() => api.checks.activateProfile.mutate({ id }));
  }

  async revertProfile(): Promise<void> {
    await this.profileAction(() => api.checks.revertProfile.mutate());
  }

  async useDefaultProfile(): Promise<void> {
    await this.profileAction(() => api.checks.useDefaultProfile.mutate());
  }

  async deleteProfile(id: string): Promise<void> {
    await this.profileAction(() => api.checks.deleteProfile.mutate({ id }));
  }

  private async profileAction(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
      await Promise.all([this.refreshProfiles(), this.refreshStatus()]);
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  /**
   * Shows `job` as the open batch's job, unless an event already brought a newer state of it:
   * a mutation's answer and the job's events race, and a fast job may finish before the answer.
   */
  private adoptJob(job: JobRecord): void {
    const seen = this.seenJobs.get(job.id);
    this.job = null;
    this.onJob(seen && isNewer(seen, job) ? seen : job);
  }

  private onJob(job: JobRecord): void {
    this.seenJobs.set(job.id, isNewer(job, this.seenJobs.get(job.id)) ? job : this.seenJobs.get(job.id)!);
    if (this.seenJobs.size > 200) this.seenJobs.delete(this.seenJobs.keys().next().value!);
    if (this.job && job.id !== this.job.id) return;
    if (!this.job && this.current?.jobId !== job.id) return;
    if (this.job && !isNewer(job, this.job)) return;
    this.job = job;
    // Results arrive per item: refetch the check while the job runs, at most every 400 ms (1.5 s for
    // big batches, whose results are larger).
    const finished = !isJobActive(job);
    if (this.refreshTimer && !finished) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(
      () => {
        this.refreshTimer = null;
        void this.reloadCurrent(finished);
      },
      finished ? 0 : (this.current?.total ?? 0) > 200 ? 1500 : 400,
    );
  }

  private async reloadCurrent(finished: boolean): Promise<void> {
    const c = this.current;
    if (!c) return;
    try {
      const detail = await api.checks.get.query({ id: c.id });
      if (this.current?.id !== detail.id) return;
      this.current = detail;
      if (finished) {
        void this.refreshHistory();
        if (detail.items.length === 1 && !this.selected) await this.select(0);
      }
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }
}

/** Whether a gate answer lets the model move verdicts. */
export const isUsable = (g: GateState | undefined): g is LmGateResult => !!g && 'usable' in g && g.usable;

function readPoint(): OperatingPoint {
  const v = localStorage.getItem(POINT_KEY);
  return (OPERATING_POINTS as readonly string[]).includes(v ?? '') ? (v as OperatingPoint) : 'strict';
}

/** Whether `a` is the same or a later state of a job than `b`, if there is one. */
const isNewer = (a: JobRecord, b: JobRecord | undefined): boolean => !b || isLaterState(a, b);

const KEY = Symbol('palimpsest.detect');

/** One state for the app's lifetime, so the open check survives the view being unmounted. */
let shared: DetectState | null = null;

/** The Detect view's state (created once, kept across mounts), shared with its components. */
export function setupDetect(): DetectState {
  return setContext(KEY, (shared ??= new DetectState()));
}

/** The Detect view's state; `who` names the caller for a helpful error when used outside the view. */
export function useDetect(who: string): DetectState {
  const state = getContext<DetectState | undefined>(KEY);
  if (!state) throw new Error(`${who} must be used inside <DetectView>`);
  return state;
}
