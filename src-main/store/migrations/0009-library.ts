import type { Migration } from './types';

/**
 * The reference library (src-main/library): source files, their extracted text and chunks, the
 * BM25 index (FTS5 with Porter stemming) and the library's settings. Dense vectors live in
 * sqlite-vec tables the library creates itself (their dimension depends on the dense method, and
 * the extension is loaded by the library, not by every connection).
 */
const migration: Migration = {
  version: 9,
  name: 'library',
  up: /* sql */ `
    CREATE TABLE library_documents (
      id          TEXT PRIMARY KEY,
      file_name   TEXT NOT NULL,
      path        TEXT,
      kind        TEXT NOT NULL,
      folder      TEXT NOT NULL,
      tags        TEXT NOT NULL DEFAULT '[]',
      bytes       INTEGER NOT NULL,
      hash        TEXT NOT NULL,
      pages       INTEGER,
      ocr_pages   INTEGER NOT NULL DEFAULT 0,
      -- The whole extracted text (chunks point into it by offset) and, for paged sources, where each page starts.
      text        TEXT NOT NULL,
      page_starts TEXT,
      added_at    INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    );
    -- Re-adding the same path (or, for uploads, the same name in the same folder) replaces the document.
    CREATE UNIQUE INDEX library_documents_path ON library_documents (path) WHERE path IS NOT NULL;
    CREATE INDEX library_documents_name ON library_documents (folder, file_name);
    CREATE INDEX library_documents_hash ON library_documents (hash);

    -- AUTOINCREMENT: a chunk id is never reused, so the curation log's chunk ids stay unambiguous.
    CREATE TABLE library_chunks (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      document_id TEXT NOT NULL REFERENCES library_documents (id) ON DELETE CASCADE,
      ord         INTEGER NOT NULL,
      text        TEXT NOT NULL,
      heading     TEXT,
      page        INTEGER,
      start_at    INTEGER NOT NULL,
      end_at      INTEGER NOT NULL,
      words       INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX library_chunks_doc ON library_chunks (document_id, ord);

    -- External-content FTS5 over chunks: text plus the heading path (headings are strong evidence).
    CREATE VIRTUAL TABLE library_chunks_fts USING fts5 (
      text, heading, content = 'library_chunks', content_rowid = 'id', tokenize = 'porter unicode61'
    );
    CREATE TRIGGER library_chunks_ai AFTER INSERT ON library_chunks BEGIN
      INSERT INTO library_chunks_fts (rowid, text, heading) VALUES (new.id, new.text, coalesce(new.heading, ''));
    END;
    CREATE TRIGGER library_chunks_ad AFTER DELETE ON library_chunks BEGIN
      INSERT INTO library_chunks_fts (library_chunks_fts, rowid, text, heading)
        VALUES ('delete', old.id, old.text, coalesce(old.heading, ''));
    END;

    -- The fitted LSA model (one row): vocabulary, IDF and projection (float32 BLOBs), and when it was fitted.
    CREATE TABLE library_lsa (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      dims          INTEGER NOT NULL,
      vocab         TEXT NOT NULL,
      idf           BLOB NOT NULL,
      proj          BLOB NOT NULL,
      fitted_at     INTEGER NOT NULL,
      chunks_at_fit INTEGER NOT NULL
    );

    -- The files of a running add job, listed once when it starts (the checkpoint only keeps a position).
    CREATE TABLE library_add_files (
      job_id TEXT NOT NULL,
      ord    INTEGER NOT NULL,
      path   TEXT NOT NULL,
      -- Display name for uploads (staged under a generated name); null: the path's base name.
      name   TEXT,
      folder TEXT NOT NULL,
      upload INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (job_id, ord)
    );

    CREATE TABLE library_settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
export default migration;
