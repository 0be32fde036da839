import type { Migration } from './types';

/**
 * Multi-author stories (src-main/stories): one row per story, one per written part. The text of
 * each part also lives in the story's Write-view document as a contribution of its author; these
 * rows keep what a dataset needs (order, per-part model, prompt hash, token and cache accounting).
 * A batch's stories carry (batch_id, batch_index), unique, so a resumed batch never writes one twice.
 */
const migration: Migration = {
  version: 8,
  name: 'stories',
  up: /* sql */ `
    CREATE TABLE stories (
      id            TEXT PRIMARY KEY,
      prompt        TEXT NOT NULL,
      prompt_source TEXT,
      -- The document may be trashed or purged by the writer; the story's parts stay here.
      document_id   TEXT NOT NULL,
      authors       TEXT NOT NULL,
      config        TEXT NOT NULL,
      status        TEXT NOT NULL CHECK (status IN ('writing', 'awaiting-human', 'done', 'failed')),
      error         TEXT,
      batch_id      TEXT,
      batch_index   INTEGER,
      created_at    INTEGER NOT NULL,
      finished_at   INTEGER,
      UNIQUE (batch_id, batch_index)
    );
    CREATE INDEX stories_created ON stories (created_at, id);
    CREATE INDEX stories_status ON stories (status);

    CREATE TABLE story_parts (
      story_id          TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
      idx               INTEGER NOT NULL,
      author_id         TEXT NOT NULL,
      author_name       TEXT NOT NULL,
      model             TEXT,
      text              TEXT NOT NULL,
      words             INTEGER NOT NULL,
      prompt_hash       TEXT,
      prompt_tokens     INTEGER NOT NULL DEFAULT 0,
      reused_tokens     INTEGER NOT NULL DEFAULT 0,
      completion_tokens INTEGER NOT NULL DEFAULT 0,
      ttft_ms           REAL,
      total_ms          REAL,
      attempts          INTEGER NOT NULL DEFAULT 1,
      generation_id     INTEGER REFERENCES generations (id) ON DELETE SET NULL,
      PRIMARY KEY (story_id, idx)
    );
  `,
};
export default migration;
