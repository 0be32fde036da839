import type { Migration } from './types';

/**
 * What model authors offered in the editor (authoring/operations): one row per suggestion, kept
 * after it is accepted, rejected or failed, so the log of what was offered survives a reload. The
 * text only changes on accept, through the authoring core's apply (its event links the generation).
 */
const migration: Migration = {
  version: 7,
  name: 'suggestions',
  up: /* sql */ `
    CREATE TABLE suggestions (
      id            TEXT PRIMARY KEY,
      document_id   TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
      -- An author's offers go with it; text it wrote stays in contribution_events (which keep it).
      author_id     TEXT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
      operation     TEXT NOT NULL,
      instruction   TEXT,
      from_offset   INTEGER NOT NULL,
      to_offset     INTEGER NOT NULL,
      original      TEXT NOT NULL,
      text          TEXT NOT NULL,
      context       TEXT NOT NULL,
      generation_id INTEGER REFERENCES generations (id) ON DELETE SET NULL,
      status        TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected', 'failed')),
      error_code    TEXT,
      error_message TEXT,
      final_text    TEXT,
      created_at    INTEGER NOT NULL,
      resolved_at   INTEGER
    );
    CREATE INDEX suggestions_document ON suggestions (document_id, created_at);
  `,
};
export default migration;
