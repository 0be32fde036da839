import path from 'node:path';
import Database from 'better-sqlite3';
import { ensureWritableDir } from './ensure-dir';
import { StoreError } from './errors';
import { migrations as defaultMigrations, type Migration } from './migrations';

export interface Store {
  readonly db: Database.Database;
  readonly dataDir: string;
  readonly dbPath: string;
  /** Schema version after migrations. */
  readonly schemaVersion: number;
  /** Backups taken by this open (one per migration run over an existing database). */
  readonly backups: readonly string[];
  close(): void;
}

export interface OpenStoreOptions {
  dataDir: string;
  /** For tests; defaults to the app's migrations. */
  migrations?: readonly Migration[];
}

export const DB_FILE = 'palimpsest.db';

/**
 * Opens (creating if needed) the database in `dataDir`, applies pending migrations after taking a
 * backup, and configures WAL, foreign keys and a busy timeout. A corrupt file or one written by a
 * newer Palimpsest is reported as a StoreError and left untouched.
 */
export function openStore(options: OpenStoreOptions): Store {
  const migrations = options.migrations ?? defaultMigrations;
  const dataDir = path.resolve(options.dataDir);
  ensureWritableDir(dataDir);
  const dbPath = path.join(dataDir, DB_FILE);

  let db: Database.Database;
  try {
    db = new Database(dbPath, { fileMustExist: false });
  } catch (cause) {
    throw new StoreError('corrupt_database', `Cannot open the database at ${dbPath}.`, { dbPath }, { cause });
  }
  try {
    // Reading the header is the first thing that fails on a file that is not SQLite.
    const version = db.pragma('user_version', { simple: true }) as number;
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw damaged(dbPath, String(check));
    const latest = migrations.at(-1)?.version ?? 0;
    if (version > latest) {
      throw new StoreError(
        'newer_schema',
        `This database was written by a newer Palimpsest (schema ${version}, this version knows ${latest}). ` +
          'Update Palimpsest; the database was left unchanged.',
        { dbPath, version, latest },
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    const backups: string[] = [];
    const pending = migrations.filter((m) => m.version > version);
    if (pending.length > 0 && version > 0) backups.push(backupBeforeMigration(db, dbPath, version));
    for (const m of pending) applyMigration(db, m);
    return {
      db,
      dataDir,
      dbPath,
      schemaVersion: latest > version ? latest : version,
      backups,
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (cause) {
    db.close();
    if (StoreError.isInstance(cause)) throw cause;
    const code = (cause as { code?: string }).code ?? '';
    if (
      code.startsWith('SQLITE_NOTADB') ||
      code.startsWith('SQLITE_CORRUPT') ||
      /malformed|not a database/i.test(String(cause))
    ) {
      throw damaged(dbPath, String(cause), cause);
    }
    // The first line only: a SQLite message can carry a dump that is no use to a user.
    const firstLine = String((cause as Error)?.message ?? cause).split('\n')[0];
    throw new StoreError('migration_failed', `Could not prepare the database: ${firstLine}`, { dbPath }, { cause });
  }
}

/** One friendly line for a damaged file; SQLite's own report (possibly 100 lines) stays in details. */
function damaged(dbPath: string, report: string, cause?: unknown): StoreError {
  return new StoreError(
    'corrupt_database',
    `The database at ${dbPath} is damaged or is not a Palimpsest database. It was left unchanged; ` +
      'restore a backup from the same folder or choose another data folder.',
    { dbPath, report: report.split('\n').slice(0, 10).join('\n') },
    { cause },
  );
}

function backupBeforeMigration(db: Database.Database, dbPath: string, fromVersion: number): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = `${dbPath}.v${fromVersion}.${stamp}.bak`;
  // VACUUM INTO writes a consistent, compacted copy synchronously, WAL contents included.
  db.prepare('VACUUM INTO ?').run(target);
  return target;
}

function applyMigration(db: Database.Database, m: Migration): void {
  db.transaction(() => {
    db.exec(m.up);
    db.pragma(`user_version = ${m.version}`);
  }).immediate();
}
