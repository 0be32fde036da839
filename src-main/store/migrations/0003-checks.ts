import type { Migration } from './types';

/**
 * Detection checks: a run over pasted text or a set of files (one row per document with its
 * result), and calibration profiles fitted on a population's known-human and known-LLM texts.
 */
const migration: Migration = {
  version: 3,
  name: 'checks',
  up: /* sql */ `
    CREATE TABLE calibration_profiles (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      -- The CalibrationProfile JSON from detection's recalibrate() (report included).
      profile     TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      -- At most one row is active; none active means the model's shipped calibration.
      active      INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
      activated_at INTEGER,
      -- What was active before this one was activated (NULL: the default), for "revert".
      previous_id TEXT REFERENCES calibration_profiles (id) ON DELETE SET NULL
    );
    CREATE UNIQUE INDEX calibration_profiles_one_active ON calibration_profiles (active) WHERE active = 1;

    CREATE TABLE checks (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('text', 'batch')),
      -- For batches the live status is the job's; this column is the status at creation.
      status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      job_id      TEXT REFERENCES jobs (id) ON DELETE SET NULL,
      profile_id  TEXT REFERENCES calibration_profiles (id) ON DELETE SET NULL,
      -- Snapshot of the CalibrationProfile used (NULL: shipped default), so a resumed batch
      -- scores its remaining files exactly like the first ones even if profiles change meanwhile.
      profile     TEXT,
      created_at  INTEGER NOT NULL
    );
    CREATE INDEX checks_created ON checks (created_at DESC);

    CREATE TABLE check_items (
      check_id    TEXT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
      position    INTEGER NOT NULL,
      -- File name (browser uploads), absolute path (CLI / folder), or 'Pasted text'.
      source      TEXT NOT NULL,
      -- The text scored; NULL for a file not read yet (or unreadable: see error).
      body        TEXT,
      word_count  INTEGER,
      -- DetectionResult JSON once scored.
      result      TEXT,
      -- {code, userMessage} JSON when the file could not be read or scored.
      error       TEXT,
      scored_at   INTEGER,
      PRIMARY KEY (check_id, position)
    ) WITHOUT ROWID;
  `,
};
export default migration;
