import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { AppError, notFound } from '../core/app-error';
import { Emitter } from '../core/events';
import {
  defaultModelsDir,
  DetectionError,
  extractText,
  MAX_CHARS,
  MIN_TEXTS_FOR_SLOPE,
  type CalibrationProfile,
  type LmGateResult,
  type OperatingPointRates,
  type OperatingPoint,
} from '../detection';
import type { JobRecord, JobRunner } from '../jobs';
import { JOB_KINDS } from '../jobs/common/job-kinds';
import { isJobActive } from '../jobs/common/job-status';
import { newId } from '../store/ids';
import { CheckStore } from './check-store';
import { fileTooLargeMessage, MAX_UPLOAD_BYTES } from './common/limits';
import { checksToCsv } from './csv';
import type { DetectorPool } from './detector-pool';
import { MODEL_MISSING_MESSAGE, toAppError } from './errors';
import { expandPaths, MAX_BATCH_FILES } from './expand-paths';
import { assistWithLm, measureLmGate, type LmScorer } from './lm-assist';
import { ProfileStore } from './profile-store';
import { renderReport } from './report';
import type {
  CheckChangeEvent,
  CheckDetail,
  CheckItem,
  CheckResult,
  CheckSummary,
  ChecksStatus,
  LmModelRef,
  ProfileSummary,
} from './types';

/** All texts of one batch together (characters); bigger sets should be checked by folder path. */
export const MAX_BATCH_CHARS = 50_000_000;
export { MAX_UPLOAD_BYTES };

export interface CheckServiceOptions {
  /** Folder holding detect/ (default: the shipped models/); only used to tell whether a model exists. */
  modelsDir?: string;
  /** Local language models for LM-assisted text checks; called on first use (the app's LlmService is lazy). */
  lm?: () => LmScorer;
}

/**
 * A batch: files and folders on this machine, or files read in the browser. A browser file that
 * could not be read comes with its `error` instead of a text: it is stored as a failed document, so
 * the batch counts every file chosen.
 */
export type BatchInput = (
  | { paths: string[]; name?: string }
  | { files: Array<{ name: string; text: string } | { name: string; error: string }>; name?: string }
) & { operatingPoint?: OperatingPoint; lmModel?: string };

/**
 * Detection checks for the app: quick checks of pasted text, resumable batch checks of files or
 * folders (a `checks.batch` job), their stored results, CSV and HTML report export, and
 * calibration profiles. Scoring runs in the DetectorPool's worker thread, never on this one.
 */
export class CheckService {
  private readonly changed = new Emitter<CheckChangeEvent>();
  /** Fires when a check is created, finished or deleted, and when profiles change. */
  readonly onDidChange = this.changed.event;
  readonly profiles: ProfileStore;
  /** The check rows; the batch job writes its results through it. */
  readonly store: CheckStore;

  constructor(
    private readonly db: Database.Database,
    private readonly jobs: JobRunner,
    readonly pool: DetectorPool,
    private readonly options: CheckServiceOptions = {},
  ) {
    this.profiles = new ProfileStore(db);
    this.store = new CheckStore(db);
  }

  /** Whether a model is installed, and which calibration is active. Also warms the worker up. */
  status(): ChecksStatus {
    const manifest = path.join(this.options.modelsDir ?? defaultModelsDir(), 'detect', 'features.json');
    const modelAvailable = existsSync(manifest);
    // The Detect view asks for status when it opens: start loading the model in the worker now,
    // so the first check does not wait for it. A failure resurfaces on the first real request.
    if (modelAvailable && !this.pool.disposed) this.pool.defaults().catch(() => {});
    return {
      modelAvailable,
      reason: modelAvailable ? null : MODEL_MISSING_MESSAGE,
      operatingPoints: modelAvailable ? readOperatingPoints(manifest) : null,
      recalibrationTexts: MIN_TEXTS_FOR_SLOPE,
      activeProfile: this.profiles.active(),
      runsIn: this.pool.mode,
    };
  }

  /**
   * Scores one pasted text with the active calibration and stores it as a check. With `lmModel`
   * (an installed local model id; experimental), the text is then scored by that model too and
   * its view folded into the verdict; the stored result keeps the LM fields and the model.
   * @throws AppError bad_request (empty, binary or too long text), unavailable (no model),
   * not_found (no such local model), or the LLM layer's error when the local model fails.
   */
  async checkText(
    input: { text: string; name?: string; lmModel?: string; operatingPoint?: OperatingPoint },
    signal?: AbortSignal,
  ): Promise<CheckDetail> {
    const text = input.text.replace(/\r\n?/g, '\n');
    if (text.length > MAX_CHARS)
      throw new AppError(
        'bad_request',
        `The text is too long to check (over ${MAX_CHARS.toLocaleString('en')} characters).`,
      );
    // An unknown model is reported before the detector runs.
    const lm = input.lmModel ? await this.lmModel(input.lmModel) : undefined;
    const active = this.profiles.active();
    let result: CheckResult;
    try {
      const [r] = await this.pool.detectMany([text], {
        profile: active?.profile,
        segments: true,
        operatingPoint: input.operatingPoint ?? 'strict',
      });
      if (!r || DetectionError.isInstance(r)) throw r ?? new DetectionError('internal', 'No result.');
      result = r;
    } catch (e) {
      throw toAppError(e);
    }
    if (lm) result = await assistWithLm(result, text, lm.model, lm.scorer, signal);
    const id = newId('chk');
    const now = Date.now();
    const name = input.name?.trim() || defaultName(text);
    this.db.transaction(() => {
      this.store.insertCheck({
        id,
        name,
        kind: 'text',
        status: 'succeeded',
        jobId: null,
        profile: active,
        createdAt: now,
      });
      this.store.insertScoredItem(id, 'Pasted text', text, result, now);
    })();
    this.changed.fire({ kind: 'check-created', id });
    const detail = this.get(id);
    detail.items = [this.getItem(id, 0)];
    return detail;
  }

  private async lmModel(id: string): Promise<{ model: LmModelRef; scorer: LmScorer }> {
    const scorer = this.options.lm?.();
    if (!scorer) throw new AppError('unavailable', 'LM-assisted checks need the local engine, which this build lacks.');
    const found = await scorer.installedModel(id);
    // The sanity gate: a model that cannot judge English never moves a verdict.
    const gate = await this.lmGate(id);
    if (!gate.usable)
      throw new AppError('bad_request', gate.reason ?? 'This model is not usable for detection.', { id });
    return { model: { id: found.id, name: found.name }, scorer };
  }

  private readonly gates = new Map<string, LmGateResult>();

  /** For LM-assisted batch jobs: one scored text with the model's view, after the gate (cached per model). */
  async assistWithLm(model: string, text: string, result: CheckResult, signal: AbortSignal): Promise<CheckResult> {
    const lm = await this.lmModel(model);
    return assistWithLm(result, text, lm.model, lm.scorer, signal);
  }

  /**
   * Whether an installed local model passes the LM sanity gate (parameter floor, perplexity on the
   * fixed English reference text), with the reason when it does not. Measured once per model.
   * @throws AppError not_found (no such model), unavailable (no local engine).
   */
  async lmGate(id: string): Promise<LmGateResult> {
    const cached = this.gates.get(id);
    if (cached) return cached;
    const scorer = this.options.lm?.();
    if (!scorer) throw new AppError('unavailable', 'LM-assisted checks need the local engine, which this build lacks.');
    const gate = await measureLmGate(id, scorer);
    this.gates.set(id, gate);
    return gate;
  }

  /**
   * Starts a batch check as a persisted, resumable job (kind `checks.batch`): files read in the
   * browser (`files`) or files and folders on this machine (`paths`, folders walked recursively).
   * Follow progress with the jobs API; results appear per item as they are scored.
   */
  startBatch(input: BatchInput): { check: CheckSummary; job: JobRecord } {
    const id = newId('chk');
    const now = Date.now();
    const active = this.profiles.active();
    let items: Array<{ source: string; body: string | null; error?: { code: string; userMessage: string } }>;
    if ('paths' in input) {
      // Absolute: the job may resume in a process started from another folder.
      items = expandPaths(input.paths).map((p) => ({ source: path.resolve(p), body: null }));
    } else {
      if (input.files.length === 0) throw new AppError('bad_request', 'Add at least one file to check.');
      if (input.files.length > MAX_BATCH_FILES)
        throw new AppError(
          'bad_request',
          `Too many files (${input.files.length}); check at most ${MAX_BATCH_FILES} at a time.`,
        );
      if (input.files.every((f) => !('text' in f)))
        throw new AppError('bad_request', 'None of these files could be read.');
      const chars = input.files.reduce((n, f) => n + ('text' in f ? f.text.length : 0), 0);
      if (chars > MAX_BATCH_CHARS)
        throw new AppError(
          'bad_request',
          'These files hold too much text for one check; split them into smaller sets.',
        );
      items = input.files.map((f) =>
        'text' in f
          ? { source: f.name, body: f.text.replace(/\r\n?/g, '\n') }
          : { source: f.name, body: null, error: { code: 'unreadable', userMessage: f.error } },
      );
    }
    const name = input.name?.trim() || batchName(items.map((i) => i.source));
    let job!: JobRecord;
    this.db.transaction(() => {
      this.store.insertCheck({
        id,
        name,
        kind: 'batch',
        status: 'queued',
        jobId: null,
        profile: active,
        createdAt: now,
      });
      this.store.insertItems(id, items, now);
      job = this.jobs.enqueue(JOB_KINDS.checksBatch, {
        checkId: id,
        ...(input.operatingPoint ? { operatingPoint: input.operatingPoint } : {}),
        ...(input.lmModel ? { lmModel: input.lmModel } : {}),
      });
      this.store.setJob(id, job.id);
    })();
    this.changed.fire({ kind: 'check-created', id });
    return { check: this.store.summary(id), job };
  }

  /** Most recent first. */
  list(limit = 100): CheckSummary[] {
    return this.store.list(limit);
  }

  /** A check with all its items (results included, texts left out: see getItem). */
  get(id: string): CheckDetail {
    return { ...this.store.summary(id), items: this.store.items(id) };
  }

  /** One document of a check, with its text (for highlighting segments). */
  getItem(checkId: string, position: number): CheckItem {
    return this.store.item(checkId, position);
  }

  /** Deletes a check and its items; a running batch is cancelled first. */
  delete(id: string): void {
    const s = this.store.summary(id);
    if (s.jobId && isJobActive(s)) this.jobs.cancel(s.jobId);
    this.store.delete(id);
    this.changed.fire({ kind: 'check-deleted', id });
  }

  /** One CSV row per document (UTF-8 with BOM so spreadsheet apps detect the encoding). */
  exportCsv(id: string): string {
    return checksToCsv(this.get(id));
  }

  /**
   * A self-contained HTML report (inline CSS and SVG, no scripts or external resources) that
   * prints well; `position` limits it to one document.
   */
  report(id: string, options: { position?: number } = {}): string {
    const detail = this.get(id);
    const items = detail.items
      .filter((i) => options.position === undefined || i.position === options.position)
      .map((i) => this.getItem(id, i.position));
    if (items.length === 0) throw notFound('Check item', `${id}#${options.position}`);
    const profile = this.store.profileOf(id);
    return renderReport(
      { ...detail, items },
      { threshold: profile?.threshold ?? null, profileName: detail.profileName },
    );
  }

  /**
   * Text from an uploaded file's bytes (.txt/.md/.docx/.pdf), via detection's extractText on a
   * private temporary copy that is always removed.
   * @throws AppError bad_request with the extractor's message (unsupported, damaged, too large...).
   */
  async extractFile(input: { name: string; bytes: Uint8Array }): Promise<{ text: string; format: string }> {
    if (input.bytes.byteLength > MAX_UPLOAD_BYTES) throw new AppError('bad_request', fileTooLargeMessage(input.name));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'palimpsest-extract-'));
    try {
      const file = path.join(dir, `upload${path.extname(input.name).toLowerCase()}`);
      await writeFile(file, input.bytes, { mode: 0o600 });
      const out = await extractText(file);
      return { text: out.text.replace(/\r\n?/g, '\n'), format: out.format };
    } catch (e) {
      const err = toAppError(e);
      throw new AppError(
        err.code === 'not_found' ? 'bad_request' : err.code,
        `${input.name}: ${err.userMessage}`,
        err.details,
        { cause: e },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  listProfiles(): ProfileSummary[] {
    return this.profiles.list();
  }

  /**
   * Fits a calibration profile on texts known to be human-written and known to be LLM-written
   * (in the worker) and saves it, inactive: its report shows the false-positive rate before and
   * after, and the user decides whether to activate it.
   * @throws AppError bad_request when too few usable human texts were given.
   */
  async createProfile(input: {
    name: string;
    human: string[];
    llm: string[];
    targetFpr?: number;
  }): Promise<ProfileSummary> {
    let profile: CalibrationProfile;
    try {
      profile = await this.pool.recalibrate(
        { human: input.human, llm: input.llm },
        { name: input.name, ...(input.targetFpr ? { targetFpr: input.targetFpr } : {}) },
      );
    } catch (e) {
      throw toAppError(e);
    }
    const saved = this.profiles.insert(input.name, profile);
    this.changed.fire({ kind: 'profiles-changed', id: saved.id });
    return saved;
  }

  activateProfile(id: string): ProfileSummary {
    const p = this.profiles.activate(id);
    this.changed.fire({ kind: 'profiles-changed', id });
    return p;
  }

  /** Back to the previously active profile (or the default). Returns what is now in force. */
  revertProfile(): ProfileSummary | null {
    const p = this.profiles.revert();
    this.changed.fire({ kind: 'profiles-changed', id: p?.id ?? null });
    return p;
  }

  useDefaultProfile(): void {
    this.profiles.useDefault();
    this.changed.fire({ kind: 'profiles-changed', id: null });
  }

  deleteProfile(id: string): void {
    this.profiles.delete(id);
    this.changed.fire({ kind: 'profiles-changed', id });
  }

  /** @internal Lets the batch job announce completion. */
  notifyFinished(id: string): void {
    this.changed.fire({ kind: 'check-finished', id });
  }
}

/** "The first words of the text…" as a check name. */
function defaultName(text: string): string {
  const all = text.trim().split(/\s+/);
  const words = all.slice(0, 8).join(' ');
  if (words.length > 60) return `${words.slice(0, 60)}…`;
  return all.length > 8 ? `${words}…` : words;
}

function batchName(sources: string[]): string {
  const base = (s: string) => s.split(/[\\/]/).pop() ?? s;
  if (sources.length === 1) return base(sources[0]!);
  return `${sources.length} files (${base(sources[0]!)}, …)`;
}

/** The operating points' out-of-source rates shipped in the manifest; null for an older one. */
function readOperatingPoints(manifestPath: string): Record<OperatingPoint, OperatingPointRates> | null {
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      operatingPoints?: Record<OperatingPoint, OperatingPointRates>;
    };
    return m.operatingPoints ?? null;
  } catch {
    return null;
  }
}
