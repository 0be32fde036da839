import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { DB_FILE, migrations, openStore, StoreError, type Store } from './index';

describe('openStore', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it('creates the schema with WAL, foreign keys and a busy timeout', () => {
    store = openStore({ dataDir: tempDir() });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(store.schemaVersion).toBe(migrations.at(-1)!.version);
    const tables = store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['documents', 'revisions', 'authors', 'contribution_events', 'jobs']),
    );
    expect(store.backups).toEqual([]); // nothing to back up on a new database
  });

  it('backs up before migrating an existing database, and migrates once', () => {
    const dir = tempDir();
    const first = [migrations[0]!];
    openStore({ dataDir: dir, migrations: first }).close();
    const extra = { version: 99, name: 'extra', up: 'CREATE TABLE extra (x INTEGER);' };
    store = openStore({ dataDir: dir, migrations: [...first, extra] });
    expect(store.schemaVersion).toBe(99);
    expect(store.backups).toHaveLength(1);
    expect(fs.existsSync(store.backups[0]!)).toBe(true);
    store.close();
    store = openStore({ dataDir: dir, migrations: [...first, extra] });
    expect(store.backups).toHaveLength(0);
  });

  it('rolls back a failing migration and leaves the version unchanged', () => {
    const dir = tempDir();
    openStore({ dataDir: dir, migrations: [migrations[0]!] }).close();
    const bad = { version: 2, name: 'bad', up: 'CREATE TABLE ok1 (x); THIS IS NOT SQL;' };
    expect(() => openStore({ dataDir: dir, migrations: [migrations[0]!, bad] })).toThrow(StoreError);
    store = openStore({ dataDir: dir, migrations: [migrations[0]!] });
    expect(store.db.pragma('user_version', { simple: true })).toBe(1);
    expect(store.db.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'ok1'`).pluck().get()).toBe(0);
  });

  it('refuses a corrupt database and leaves the file untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    const garbage = Buffer.alloc(8192, 7);
    fs.writeFileSync(file, garbage);
    const err = captureError(() => openStore({ dataDir: dir }));
    expect(StoreError.isInstance(err) && err.code).toBe('corrupt_database');
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('reports pages damaged in the middle of a real database in one friendly line, file untouched', () => {
    const dir = tempDir();
    const s = openStore({ dataDir: dir });
    const insert = s.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    s.db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`k${i}`, 'v'.repeat(200));
    })();
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    s.close();
    const file = path.join(dir, DB_FILE);
    const bytes = fs.readFileSync(file);
    const page = 4096;
    const mid = Math.floor(bytes.length / page / 2) * page;
    bytes.fill(0x5a, mid, mid + 3 * page); // the header is intact: SQLite opens it and finds the damage
    fs.writeFileSync(file, bytes);
    const err = captureError(() => openStore({ dataDir: dir }));
    expect(StoreError.isInstance(err) && err.code).toBe('corrupt_database');
    const message = (err as StoreError).userMessage;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/is damaged/);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a database from a newer version without changing it', () => {
    const dir = tempDir();
    const s = openStore({ dataDir: dir });
    s.db.pragma('user_version = 999');
    s.close();
    const before = fs.readFileSync(path.join(dir, DB_FILE));
    const err = captureError(() => openStore({ dataDir: dir }));
    expect(StoreError.isInstance(err) && err.code).toBe('newer_schema');
    expect((err as StoreError).userMessage).toMatch(/newer Palimpsest/);
    expect(fs.readFileSync(path.join(dir, DB_FILE)).equals(before)).toBe(true);
  });

  it('says when the data folder cannot be written', () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'x');
    const err = captureError(() => openStore({ dataDir: path.join(file, 'sub') }));
    expect(StoreError.isInstance(err) && err.code).toBe('data_dir_unwritable');
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}
