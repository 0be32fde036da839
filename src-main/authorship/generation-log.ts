import type Database from 'better-sqlite3';
import type { GenerationSettings } from '../llm/provider';
import type { GenerationRecord, NewGenerationRecord } from './generation-types';

interface GenerationRow {
  id: number;
  author_id: string | null;
  provider: string;
  model: string;
  settings: string;
  prompt_sha256: string;
  prompt_tokens: number;
  completion_tokens: number;
  ttft_ms: number | null;
  tokens_per_s: number | null;
  total_ms: number;
  finish_reason: GenerationRecord['finishReason'];
  error_code: string | null;
  document_id: string | null;
  created_at: number;
}

/**
 * The log of every generation (one `generations` row however it ended), for provenance and speed
 * statistics. Contribution events point at these rows by id.
 */
export class GenerationLog {
  constructor(private readonly db: Database.Database) {}

  /** Appends one generation; returns its row id (what a contribution event links to). */
  record(g: NewGenerationRecord): number {
    const info = this.db
      .prepare(
        `INSERT INTO generations (author_id, provider, model, settings, prompt_sha256, prompt_tokens, completion_tokens,
           ttft_ms, tokens_per_s, total_ms, finish_reason, error_code, document_id, created_at)
         VALUES (@authorId, @provider, @model, @settings, @promptSha256, @promptTokens, @completionTokens,
           @ttftMs, @tokensPerSecond, @totalMs, @finishReason, @errorCode, @documentId, @createdAt)`,
      )
      .run({ ...g, settings: JSON.stringify(g.settings), createdAt: Date.now() });
    return Number(info.lastInsertRowid);
  }

  /** One generation, or undefined when it does not exist. */
  get(id: number): GenerationRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM generations WHERE id = ?`).get(id) as GenerationRow | undefined;
    return row && toGeneration(row);
  }

  /** Recent generations, newest first, optionally for one author or document (default limit 100). */
  list(filter: { authorId?: string; documentId?: string; limit?: number } = {}): GenerationRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.authorId) {
      where.push('author_id = ?');
      args.push(filter.authorId);
    }
    if (filter.documentId) {
      where.push('document_id = ?');
      args.push(filter.documentId);
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM generations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...args, filter.limit ?? 100) as GenerationRow[];
    return rows.map(toGeneration);
  }
}

function toGeneration(r: GenerationRow): GenerationRecord {
  return {
    id: r.id,
    authorId: r.author_id,
    provider: r.provider,
    model: r.model,
    settings: JSON.parse(r.settings) as GenerationSettings,
    promptSha256: r.prompt_sha256,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    ttftMs: r.ttft_ms,
    tokensPerSecond: r.tokens_per_s,
    totalMs: r.total_ms,
    finishReason: r.finish_reason,
    errorCode: r.error_code,
    documentId: r.document_id,
    createdAt: r.created_at,
  };
}
