import type { Migration } from './types';

/**
 * The co-authoring edit log: contribution events become a hash chain per document (`seq`, the
 * author's `kind`, `prev_hash`, `hash`; an internal paste's `source_from`/`source_to`), and a
 * document keeps its editor JSON beside the plain text. Rows written before this version (and by
 * the snapshot save path) have no hash yet; the authoring service seals them in order on first use
 * (sha256 is not available in SQL), after which they chain like any other event.
 */
const migration: Migration = {
  version: 6,
  name: 'authoring',
  up: /* sql */ `
    ALTER TABLE contribution_events ADD COLUMN seq INTEGER;
    ALTER TABLE contribution_events ADD COLUMN kind TEXT CHECK (kind IN ('human', 'model'));
    ALTER TABLE contribution_events ADD COLUMN prev_hash TEXT;
    ALTER TABLE contribution_events ADD COLUMN hash TEXT;
    ALTER TABLE contribution_events ADD COLUMN source_from INTEGER;
    ALTER TABLE contribution_events ADD COLUMN source_to INTEGER;
    CREATE UNIQUE INDEX contribution_events_seq ON contribution_events (document_id, seq) WHERE seq IS NOT NULL;
    -- Finds the rows still to seal without reading a document's whole log.
    CREATE INDEX contribution_events_unsealed ON contribution_events (document_id, id) WHERE hash IS NULL;

    -- The editor's JSON (headings, lists, emphasis); NULL for documents never opened in the editor.
    ALTER TABLE documents ADD COLUMN rich TEXT;
  `,
};
export default migration;
