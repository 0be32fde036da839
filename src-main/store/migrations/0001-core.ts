import type { Migration } from './types';

/** Documents, revisions, authors, contribution events and jobs: what every capability builds on. */
const migration: Migration = {
  version: 1,
  name: 'core',
  up: /* sql */ `
    CREATE TABLE authors (
      id          TEXT PRIMARY KEY,
      kind        TEXT NOT NULL CHECK (kind IN ('human', 'model')),
      name        TEXT NOT NULL,
      color       TEXT NOT NULL DEFAULT '#4b7bec',
      created_at  INTEGER NOT NULL
    );
    INSERT INTO authors (id, kind, name, color, created_at)
      VALUES ('human:me', 'human', 'Me', '#2d3436', unixepoch('subsec') * 1000);

    CREATE TABLE documents (
      id          TEXT PRIMARY KEY,
      title       TEXT NOT NULL,
      body        TEXT NOT NULL DEFAULT '',
      word_count  INTEGER NOT NULL DEFAULT 0,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL,
      deleted_at  INTEGER,
      revision    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX documents_updated ON documents (deleted_at, updated_at DESC);

    CREATE TABLE revisions (
      document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
      number      INTEGER NOT NULL,
      body        TEXT NOT NULL,
      author_id   TEXT NOT NULL REFERENCES authors (id),
      created_at  INTEGER NOT NULL,
      PRIMARY KEY (document_id, number)
    ) WITHOUT ROWID;

    -- Who wrote which span, by which operation. Offsets are UTF-16 code units in the body
    -- after the event was applied; 'deleted' carries the removed text for provenance replay.
    CREATE TABLE contribution_events (
      id          INTEGER PRIMARY KEY,
      document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
      revision    INTEGER NOT NULL,
      author_id   TEXT NOT NULL REFERENCES authors (id),
      operation   TEXT NOT NULL,
      start       INTEGER NOT NULL,
      end         INTEGER NOT NULL,
      inserted    TEXT NOT NULL DEFAULT '',
      deleted     TEXT NOT NULL DEFAULT '',
      created_at  INTEGER NOT NULL
    );
    CREATE INDEX contribution_events_doc ON contribution_events (document_id, id);

    CREATE TABLE jobs (
      id          TEXT PRIMARY KEY,
      kind        TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      payload     TEXT NOT NULL,
      state       TEXT,
      result      TEXT,
      error       TEXT,
      done        REAL NOT NULL DEFAULT 0,
      total       REAL,
      message     TEXT NOT NULL DEFAULT '',
      created_at  INTEGER NOT NULL,
      started_at  INTEGER,
      updated_at  INTEGER NOT NULL,
      finished_at INTEGER
    );
    CREATE INDEX jobs_status ON jobs (status, created_at);

    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
export default migration;
