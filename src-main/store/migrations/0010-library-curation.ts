import type { Migration } from './types';

/**
 * The library's curation log (SymbioticRAG Level 1) and which passages an LLM operation used.
 * Passages are kept by chunk id and, denormalized, by document id, file name and chunk index, so
 * the log (the user's data) stays readable and exportable after a document is re-indexed or removed:
 * no foreign keys into the index's tables on purpose.
 */
const migration: Migration = {
  version: 10,
  name: 'library-curation',
  up: /* sql */ `
    -- AUTOINCREMENT: an event id is never reused (a model fitted on the log is keyed by the last id).
    CREATE TABLE library_curation_events (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      at          INTEGER NOT NULL,
      query       TEXT NOT NULL,
      action      TEXT NOT NULL
                  CHECK (action IN ('pin', 'unpin', 'exclude', 'unexclude', 'rate', 'rewrite', 'open')),
      chunk_id    INTEGER,
      document_id TEXT,
      doc         TEXT,
      chunk       INTEGER,
      rank        INTEGER,
      retriever   TEXT,
      -- JSON: a rating (number) or the rewritten query (string); NULL when the action has none.
      value       TEXT
    );
    CREATE INDEX library_curation_chunk ON library_curation_events (chunk_id, id) WHERE chunk_id IS NOT NULL;

    -- One row per passage given to a model as context, in prompt order.
    CREATE TABLE library_passage_uses (
      suggestion_id TEXT NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
      generation_id INTEGER REFERENCES generations (id) ON DELETE SET NULL,
      position      INTEGER NOT NULL,
      chunk_id      INTEGER NOT NULL,
      document_id   TEXT NOT NULL,
      doc           TEXT NOT NULL,
      chunk         INTEGER NOT NULL,
      page          INTEGER,
      -- sha256 of the passage text exactly as it went into the prompt.
      text_sha256   TEXT NOT NULL,
      excerpt       TEXT NOT NULL,
      words         INTEGER NOT NULL,
      -- 1 when the word bound cut the passage (the hash is of the cut text).
      cut           INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (suggestion_id, position)
    );
    CREATE INDEX library_passage_uses_generation ON library_passage_uses (generation_id)
      WHERE generation_id IS NOT NULL;
  `,
};
export default migration;
