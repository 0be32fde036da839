/**
 * The rows of checks and their documents (tables `checks` and `check_items`): every SQL statement
 * on them lives here, so the check service and the batch job share one definition of a row.
 */
import type Database from 'better-sqlite3';
import { notFound } from '../core/app-error';
import type { CalibrationProfile } from '../detection';
import type { CheckItem, CheckKind, CheckResult, CheckSummary, ProfileSummary } from './types';

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

/** A document of a batch not scored yet: a path to read (`body` null) or a text sent with the batch. */
export interface PendingItem {
  position: number;
  source: string;
  body: string | null;
}

/** What a scored (or failed) document stores. */
export interface ItemOutcome {
  /** The text read from the file; kept only when the item had none. */
  text: string | null;
  result: CheckResult | null;
  error: { code: string; userMessage: string } | null;
  scoredAt: number;
}

const SUMMARY_SQL = `
  SELECT c.*, j.status AS job_status,
    (SELECT COUNT(*) FROM check_items i WHERE i.check_id = c.id) AS total,
    (SELECT COUNT(*) FROM check_items i WHERE i.check_id = c.id AND (i.result IS NOT NULL OR i.error IS NOT NULL)) AS done,
    (SELECT COUNT(*) FROM check_items i WHERE i.check_id = c.id AND i.error IS NOT NULL) AS failed
  FROM checks c LEFT JOIN jobs j ON j.id = c.job_id`;

export class CheckStore {
  constructor(readonly db: Database.Database) {}

  /**
   * Inserts a check row; `profile` is the calibration in force, stored as a snapshot so later
   * profile changes do not alter what the check used.
   */
  insertCheck(check: {
    id: string;
    name: string;
    kind: CheckKind;
    status: string;
    jobId: string | null;
    profile: ProfileSummary | null;
    createdAt: number;
  }): void {
    const { profile } = check;
    this.db
      .prepare(
        'INSERT INTO checks (id, name, kind, status, job_id, profile_id, profile, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        check.id,
        check.name.slice(0, 200),
        check.kind,
        check.status,
        check.jobId,
        profile?.id ?? null,
        profile ? JSON.stringify({ ...profile.profile, name: profile.name }) : null,
        check.createdAt,
      );
  }

  /**
   * Inserts documents at positions 0..n-1, unscored; one with an `error` (a file that could not be
   * read before the batch started) is stored as failed, so the batch job skips it.
   */
  insertItems(
    checkId: string,
    items: ReadonlyArray<{ source: string; body: string | null; error?: { code: string; userMessage: string } }>,
    scoredAt = Date.now(),
  ): void {
    const insert = this.db.prepare(
      'INSERT INTO check_items (check_id, position, source, body, error, scored_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    items.forEach((it, i) =>
      insert.run(
        checkId,
        i,
        it.source,
        it.body,
        it.error ? JSON.stringify(it.error) : null,
        it.error ? scoredAt : null,
      ),
    );
  }

  /** Inserts one document already scored (a text check). */
  insertScoredItem(checkId: string, source: string, text: string, result: CheckResult, scoredAt: number): void {
    this.db
      .prepare(
        'INSERT INTO check_items (check_id, position, source, body, word_count, result, scored_at) VALUES (?, 0, ?, ?, ?, ?, ?)',
      )
      .run(checkId, source, text, result.word_count, JSON.stringify(result), scoredAt);
  }

  setJob(checkId: string, jobId: string): void {
    this.db.prepare('UPDATE checks SET job_id = ? WHERE id = ?').run(jobId, checkId);
  }

  /**
   * Stores a document's result or error. The batch job calls it inside its checkpoint
   * transaction, on that transaction's connection (`db`).
   */
  recordOutcome(checkId: string, position: number, o: ItemOutcome, db: Database.Database = this.db): void {
    db.prepare(
      'UPDATE check_items SET body = COALESCE(body, ?), word_count = ?, result = ?, error = ?, scored_at = ? WHERE check_id = ? AND position = ?',
    ).run(
      o.text,
      o.result?.word_count ?? null,
      o.result ? JSON.stringify(o.result) : null,
      o.error ? JSON.stringify({ code: o.error.code, userMessage: o.error.userMessage }) : null,
      o.scoredAt,
      checkId,
      position,
    );
  }

  /** @throws AppError not_found */
  summary(id: string): CheckSummary {
    const row = this.db.prepare(`${SUMMARY_SQL} WHERE c.id = ?`).get(id) as CheckRow | undefined;
    if (!row) throw notFound('Check', id);
    return toSummary(row);
  }

  /** Most recent first. */
  list(limit: number): CheckSummary[] {
    const rows = this.db.prepare(`${SUMMARY_SQL} ORDER BY c.created_at DESC LIMIT ?`).all(limit) as CheckRow[];
    return rows.map(toSummary);
  }

  /** A check's documents in order, without their texts. */
  items(checkId: string): CheckItem[] {
    const rows = this.db
      .prepare(
        'SELECT check_id, position, source, NULL AS body, word_count, result, error, scored_at FROM check_items WHERE check_id = ? ORDER BY position',
      )
      .all(checkId) as ItemRow[];
    return rows.map((r) => toItem(r, false));
  }

  /** One document with its text. @throws AppError not_found */
  item(checkId: string, position: number): CheckItem {
    const row = this.db
      .prepare('SELECT * FROM check_items WHERE check_id = ? AND position = ?')
      .get(checkId, position) as ItemRow | undefined;
    if (!row) throw notFound('Check item', `${checkId}#${position}`);
    return toItem(row, true);
  }

  /** Documents not scored yet, in order. */
  pendingItems(checkId: string): PendingItem[] {
    return this.db
      .prepare(
        'SELECT position, source, body FROM check_items WHERE check_id = ? AND result IS NULL AND error IS NULL ORDER BY position',
      )
      .all(checkId) as PendingItem[];
  }

  /** The calibration snapshot a check was started with (null: the shipped default). @throws AppError not_found */
  profileOf(checkId: string): CalibrationProfile | null {
    const row = this.db.prepare('SELECT profile FROM checks WHERE id = ?').get(checkId) as
      { profile: string | null } | undefined;
    if (!row) throw notFound('Check', checkId);
    return row.profile ? (JSON.parse(row.profile) as CalibrationProfile) : null;
  }

  /** Deletes a check; its items go with it (ON DELETE CASCADE). */
  delete(id: string): void {
    this.db.prepare('DELETE FROM checks WHERE id = ?').run(id);
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
