import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { AppError, notFound } from '../core/app-error';
import { Emitter } from '../core/events';
import { defaultModelsDir, DetectionError, extractText, MAX_CHARS, type CalibrationProfile } from '../detection';
import type { JobRecord, JobRunner } from '../jobs';
import { newId } from '../store/ids';
import { BATCH_JOB } from './batch-job';
import { checksToCsv } from './csv';
import type { DetectorPool } from './detector-pool';
import { MODEL_MISSING_MESSAGE, toAppError } from './errors';
import { expandPaths, MAX_BATCH_FILES } from './expand-paths';
import { assistWithLm, type LmScorer } from './lm-assist';
import { ProfileStore } from './profile-store';
import { renderReport } from './report';
import type {
  CheckChangeEvent,
  CheckDetail,
  CheckItem,
  CheckKind,
  CheckResult,
  CheckSummary,
  ChecksStatus,
  LmModelRef,
  ProfileSummary,
} from './types';

/** All texts of one batch together (characters); bigger sets should be checked by folder path. */
export const MAX_BATCH_CHARS = 50_000_000;
/** Uploaded .docx/.pdf files larger than this are refused before decoding. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface CheckServiceOptions {
  /** Folder holding detect/ (default: the shipped models/); only used to tell whether a model exists. */
  modelsDir?: string;
  /** Local language models for LM-assisted text checks; called on first use (the app's LlmService is lazy). */
  lm?: () => LmScorer;
}

export type BatchInput =
  { paths: string[]; name?: string } | { files: Array<{ name: string; text: string }>; name?: string };

interface CheckRow {
  id: string;
  name: string;
  kind: CheckKind;
  status: CheckSummary['status'];
  job_id: string | null;
  profile_id: string | null;
  profile: string | null;
  created_at: number;
  job_status: CheckSummary['status'] | null;
  total: number;
  done: number;
  failed: number;
}

interface ItemRow {
  check_id: string;
  position: number;
  source: string;
  body: string | null;
  word_count: number | null;
  result: string | null;
  error: string | null;
  scored_at: number | null;
}

const SUMMARY_SQL = `
  SELECT c.*, j.status AS job_status,
    (SELECT COUNT(*) FROM check_items i WHERE i.check_id = c.id) AS total,
    (SELECT COUNT(*) FROM check_items i WHERE i.check_id = c.id AND (i.result IS NOT NULL OR i.error IS NOT NULL)) AS done,
    (SELECT COUNT(*) FROM check_items i WHERE i.check_id = c.id AND i.error IS NOT NULL) AS failed
  FROM checks c LEFT JOIN jobs j ON j.id = c.job_id`;

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

  constructor(
    private readonly db: Database.Database,
    private readonly jobs: JobRunner,
    readonly pool: DetectorPool,
    private readonly options: CheckServiceOptions = {},
  ) {
    this.profiles = new ProfileStore(db);
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
    input: { text: string; name?: string; lmModel?: string },
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
      const [r] = await this.pool.detectMany([text], { profile: active?.profile, segments: true });
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
      this.insertCheck(id, name, 'text', 'succeeded', null, active, now);
      this.db
        .prepare(
          'INSERT INTO check_items (check_id, position, source, body, word_count, result, scored_at) VALUES (?, 0, ?, ?, ?, ?, ?)',
        )
        .run(id, 'Pasted text', text, result.word_count, JSON.stringify(result), now);
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
    return { model: { id: found.id, name: found.name }, scorer };
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
    let items: Array<{ source: string; body: string | null }>;
    if ('paths' in input) {
      items = expandPaths(input.paths).map((p) => ({ source: p, body: null }));
    } else {
      if (input.files.length === 0) throw new AppError('bad_request', 'Add at least one file to check.');
      if (input.files.length > MAX_BATCH_FILES)
        throw new AppError(
          'bad_request',
          `Too many files (${input.files.length}); check at most ${MAX_BATCH_FILES} at a time.`,
        );
      const chars = input.files.reduce((n, f) => n + f.text.length, 0);
      if (chars > MAX_BATCH_CHARS)
        throw new AppError(
          'bad_request',
          'These files hold too much text for one check; split them into smaller sets.',
        );
      items = input.files.map((f) => ({ source: f.name, body: f.text.replace(/\r\n?/g, '\n') }));
    }
    const name = input.name?.trim() || batchName(items.map((i) => i.source));
    let job!: JobRecord;
    this.db.transaction(() => {
      this.insertCheck(id, name, 'batch', 'queued', null, active, now);
      const insert = this.db.prepare('INSERT INTO check_items (check_id, position, source, body) VALUES (?, ?, ?, ?)');
      items.forEach((it, i) => insert.run(id, i, it.source, it.body));
      job = this.jobs.enqueue(BATCH_JOB, { checkId: id });
      this.db.prepare('UPDATE checks SET job_id = ? WHERE id = ?').run(job.id, id);
    })();
    this.changed.fire({ kind: 'check-created', id });
    return { check: this.summary(id), job };
  }

  /** Most recent first. */
  list(limit = 100): CheckSummary[] {
    const rows = this.db.prepare(`${SUMMARY_SQL} ORDER BY c.created_at DESC LIMIT ?`).all(limit) as CheckRow[];
    return rows.map(toSummary);
  }

  /** A check with all its items (results included, texts left out: see getItem). */
  get(id: string): CheckDetail {
    const summary = this.summary(id);
    const rows = this.db
      .prepare(
        'SELECT check_id, position, source, NULL AS body, word_count, result, error, scored_at FROM check_items WHERE check_id = ? ORDER BY position',
      )
      .all(id) as ItemRow[];
    return { ...summary, items: rows.map((r) => toItem(r, false)) };
  }

  /** One document of a check, with its text (for highlighting segments). */
  getItem(checkId: string, position: number): CheckItem {
    const row = this.db
      .prepare('SELECT * FROM check_items WHERE check_id = ? AND position = ?')
      .get(checkId, position) as ItemRow | undefined;
    if (!row) throw notFound('Check item', `${checkId}#${position}`);
    return toItem(row, true);
  }

  /** Deletes a check and its items; a running batch is cancelled first. */
  delete(id: string): void {
    const s = this.summary(id);
    if (s.jobId && (s.status === 'running' || s.status === 'queued')) this.jobs.cancel(s.jobId);
    this.db.prepare('DELETE FROM checks WHERE id = ?').run(id);
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
    const profile = this.checkProfile(id);
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
    if (input.bytes.byteLength > MAX_UPLOAD_BYTES)
      throw new AppError('bad_request', `${input.name} is larger than 20 MB.`);
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

  /** @internal The calibration snapshot a check was started with (used by the batch job). */
  checkProfile(id: string): CalibrationProfile | null {
    const row = this.db.prepare('SELECT profile FROM checks WHERE id = ?').get(id) as
      { profile: string | null } | undefined;
    if (!row) throw notFound('Check', id);
    return row.profile ? (JSON.parse(row.profile) as CalibrationProfile) : null;
  }

  /** @internal Items of a check not scored yet, in order (used by the batch job). */
  pendingItems(id: string): Array<{ position: number; source: string; body: string | null }> {
    return this.db
      .prepare(
        'SELECT position, source, body FROM check_items WHERE check_id = ? AND result IS NULL AND error IS NULL ORDER BY position',
      )
      .all(id) as Array<{ position: number; source: string; body: string | null }>;
  }

  /** @internal Lets the batch job announce completion. */
  notifyFinished(id: string): void {
    this.changed.fire({ kind: 'check-finished', id });
  }

  private summary(id: string): CheckSummary {
    const row = this.db.prepare(`${SUMMARY_SQL} WHERE c.id = ?`).get(id) as CheckRow | undefined;
    if (!row) throw notFound('Check', id);
    return toSummary(row);
  }

  private insertCheck(
    id: string,
    name: string,
    kind: CheckKind,
    status: string,
    jobId: string | null,
    profile: ProfileSummary | null,
    now: number,
  ): void {
    this.db
      .prepare(
        'INSERT INTO checks (id, name, kind, status, job_id, profile_id, profile, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        name.slice(0, 200),
        kind,
        status,
        jobId,
        profile?.id ?? null,
        profile ? JSON.stringify({ ...profile.profile, name: profile.name }) : null,
        now,
      );
  }
}

function toSummary(r: CheckRow): CheckSummary {
  const profile = r.profile ? (JSON.parse(r.profile) as CalibrationProfile) : null;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.job_status ?? r.status,
    jobId: r.job_id,
    profileId: r.profile_id,
    profileName: profile ? (profile.name ?? 'Custom calibration') : null,
    createdAt: r.created_at,
    total: r.total,
    done: r.done,
    failed: r.failed,
  };
}

function toItem(r: ItemRow, withText: boolean): CheckItem {
  const item: CheckItem = {
    checkId: r.check_id,
    position: r.position,
    source: r.source,
    wordCount: r.word_count,
    result: r.result ? (JSON.parse(r.result) as CheckResult) : null,
    error: r.error ? (JSON.parse(r.error) as CheckItem['error']) : null,
    scoredAt: r.scored_at,
  };
  if (withText) item.text = r.body ?? '';
  return item;
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
