import type Database from 'better-sqlite3';

/** Whether the `personal` retriever learns from the log, and whether it expands queries with the intent. */
export interface PersonalizationSettings {
  /** Off: `personal` returns plain hybrid results (with a notice). */
  enabled: boolean;
  /** Add the intent's terms to the query (a second hybrid search fused with the first). */
  queryExpansion: boolean;
  /** The model author that writes the intent summary; null: term statistics. */
  intentAuthorId: string | null;
}

export const DEFAULT_PERSONALIZATION: Readonly<PersonalizationSettings> = {
  enabled: true,
  queryExpansion: true,
  intentAuthorId: null,
};

const KEY = 'library.personalization';

/** Kept in the core `settings` table as one JSON value. */
export class PersonalizationSettingsStore {
  constructor(private readonly db: Database.Database) {}

  get(): PersonalizationSettings {
    const row = this.db.prepare(`SELECT value FROM settings WHERE key = ?`).get(KEY) as { value: string } | undefined;
    if (!row) return { ...DEFAULT_PERSONALIZATION };
    try {
      const v = JSON.parse(row.value) as Partial<PersonalizationSettings>;
      return {
        enabled: typeof v.enabled === 'boolean' ? v.enabled : DEFAULT_PERSONALIZATION.enabled,
        queryExpansion:
          typeof v.queryExpansion === 'boolean' ? v.queryExpansion : DEFAULT_PERSONALIZATION.queryExpansion,
        intentAuthorId: typeof v.intentAuthorId === 'string' && v.intentAuthorId ? v.intentAuthorId : null,
      };
    } catch {
      return { ...DEFAULT_PERSONALIZATION };
    }
  }

  set(patch: Partial<PersonalizationSettings>): PersonalizationSettings {
    const next = { ...this.get(), ...patch };
    this.db
      .prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
      .run(KEY, JSON.stringify(next));
    return next;
  }
}
