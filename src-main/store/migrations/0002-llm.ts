import type { Migration } from './types';

/**
 * Model authors (an `authors` row of kind 'model' plus its provider, model and sampling
 * defaults), remote endpoints (their API keys stay in the SecretStore: only `key_ref` is here),
 * installed GGUF files, and one row per generation for provenance and speed statistics.
 */
const migration: Migration = {
  version: 2,
  name: 'llm',
  up: /* sql */ `
    -- 'local' (the bundled engine), 'endpoint:<id>' or 'pool:<name>'.
    CREATE TABLE model_authors (
      author_id     TEXT PRIMARY KEY REFERENCES authors (id) ON DELETE CASCADE,
      provider      TEXT NOT NULL,
      model         TEXT NOT NULL,
      sampling      TEXT NOT NULL DEFAULT '{}',
      system_prompt TEXT,
      updated_at    INTEGER NOT NULL
    );

    CREATE TABLE endpoints (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE,
      base_url    TEXT NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('openai', 'ollama', 'llama.cpp', 'vllm', 'lmstudio', 'openai-compatible')),
      -- A SecretStore ref (never the key itself); NULL for servers without auth.
      key_ref     TEXT,
      -- Endpoints sharing a pool name are served together as provider 'pool:<name>'.
      pool        TEXT,
      enabled     INTEGER NOT NULL DEFAULT 1,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    );
    CREATE INDEX endpoints_pool ON endpoints (pool) WHERE pool IS NOT NULL;

    CREATE TABLE installed_models (
      id          TEXT PRIMARY KEY,
      file_name   TEXT NOT NULL,
      path        TEXT NOT NULL UNIQUE,
      size_bytes  INTEGER NOT NULL,
      sha256      TEXT NOT NULL,
      -- 1 when sha256 matched a published checksum; 0 when none was published (shown as unverified).
      verified    INTEGER NOT NULL,
      catalog_id  TEXT,
      source      TEXT NOT NULL CHECK (source IN ('catalog', 'url', 'import')),
      format      TEXT NOT NULL DEFAULT 'gguf',
      created_at  INTEGER NOT NULL
    );

    CREATE TABLE generations (
      id                INTEGER PRIMARY KEY,
      author_id         TEXT REFERENCES authors (id) ON DELETE SET NULL,
      provider          TEXT NOT NULL,
      model             TEXT NOT NULL,
      settings          TEXT NOT NULL,
      prompt_sha256     TEXT NOT NULL,
      prompt_tokens     INTEGER NOT NULL DEFAULT 0,
      completion_tokens INTEGER NOT NULL DEFAULT 0,
      ttft_ms           REAL,
      tokens_per_s      REAL,
      total_ms          REAL NOT NULL,
      -- 'stop' | 'length' | 'abort' | 'error'
      finish_reason     TEXT NOT NULL,
      error_code        TEXT,
      document_id       TEXT REFERENCES documents (id) ON DELETE SET NULL,
      created_at        INTEGER NOT NULL
    );
    CREATE INDEX generations_author ON generations (author_id, created_at);
    CREATE INDEX generations_document ON generations (document_id, created_at) WHERE document_id IS NOT NULL;
  `,
};
export default migration;
