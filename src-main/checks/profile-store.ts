import type Database from 'better-sqlite3';
import { AppError, notFound } from '../core/app-error';
import { isCalibrationProfile, type CalibrationProfile } from '../detection';
import { newId } from '../store/ids';
import type { ProfileSummary } from './types';

interface ProfileRow {
  id: string;
  name: string;
  profile: string;
  created_at: number;
  active: number;
  previous_id: string | null;
}

/**
 * Calibration profiles in SQLite. At most one is active (a partial unique index enforces it);
 * none active means the model's shipped calibration. Activating remembers what was active
 * before, so `revert` can step back.
 */
export class ProfileStore {
  constructor(private readonly db: Database.Database) {}

  list(): ProfileSummary[] {
    const rows = this.db.prepare('SELECT * FROM calibration_profiles ORDER BY created_at DESC').all() as ProfileRow[];
    return rows.map(toSummary);
  }

  get(id: string): ProfileSummary {
    const row = this.db.prepare('SELECT * FROM calibration_profiles WHERE id = ?').get(id) as ProfileRow | undefined;
    if (!row) throw notFound('Calibration profile', id);
    return toSummary(row);
  }

  /** The profile in force, or null for the shipped default. */
  active(): ProfileSummary | null {
    const row = this.db.prepare('SELECT * FROM calibration_profiles WHERE active = 1').get() as ProfileRow | undefined;
    return row ? toSummary(row) : null;
  }

  /** Saves a fitted profile (not active yet: the user looks at its report first). */
  insert(name: string, profile: CalibrationProfile): ProfileSummary {
    const id = newId('cal');
    this.db
      .prepare('INSERT INTO calibration_profiles (id, name, profile, created_at) VALUES (?, ?, ?, ?)')
      .run(id, name, JSON.stringify(profile), Date.now());
    return this.get(id);
  }

  /** Makes `id` the profile in force; the one it replaces becomes its "previous". */
  activate(id: string): ProfileSummary {
    this.db
      .transaction(() => {
        const target = this.get(id);
        const current = this.active();
        if (current?.id === target.id) return;
        this.db.prepare('UPDATE calibration_profiles SET active = 0 WHERE active = 1').run();
        this.db
          .prepare('UPDATE calibration_profiles SET active = 1, activated_at = ?, previous_id = ? WHERE id = ?')
          .run(Date.now(), current?.id ?? null, id);
      })
      .immediate();
    return this.get(id);
  }

  /**
   * Goes back to what was active before the current profile (another profile, or the default).
   * @returns the profile now in force, or null for the default.
   * @throws AppError conflict when the default is already in force.
   */
  revert(): ProfileSummary | null {
    return this.db
      .transaction(() => {
        const current = this.active();
        if (!current) throw new AppError('conflict', 'The default calibration is already in use.');
        this.db.prepare('UPDATE calibration_profiles SET active = 0 WHERE id = ?').run(current.id);
        if (!current.previousId) return null;
        this.db
          .prepare('UPDATE calibration_profiles SET active = 1, activated_at = ? WHERE id = ?')
          .run(Date.now(), current.previousId);
        return this.get(current.previousId);
      })
      .immediate();
  }

  /** Switches to the model's shipped calibration. */
  useDefault(): void {
    this.db.prepare('UPDATE calibration_profiles SET active = 0 WHERE active = 1').run();
  }

  /** Deletes a profile; if it was active, the default takes over. Checks keep their snapshot. */
  delete(id: string): void {
    const res = this.db.prepare('DELETE FROM calibration_profiles WHERE id = ?').run(id);
    if (res.changes === 0) throw notFound('Calibration profile', id);
  }
}

function toSummary(row: ProfileRow): ProfileSummary {
  const profile = JSON.parse(row.profile) as unknown;
  if (!isCalibrationProfile(profile))
    throw new AppError('internal', `Calibration profile ${row.id} is damaged.`, { id: row.id });
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    active: row.active === 1,
    previousId: row.previous_id,
    profile,
  };
}
