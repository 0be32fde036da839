import type Database from 'better-sqlite3';
import { notFound } from '../core/app-error';
import {
  storyListFilterSchema,
  type Story,
  type StoryAuthor,
  type StoryConfig,
  type StoryListFilter,
  type StoryPart,
  type StoryStatus,
  type StorySummary,
} from './common/contract';

interface StoryRow {
  id: string;
  prompt: string;
  prompt_source: string | null;
  document_id: string;
  authors: string;
  config: string;
  status: StoryStatus;
  error: string | null;
  batch_id: string | null;
  batch_index: number | null;
  created_at: number;
  finished_at: number | null;
}

interface PartRow {
  story_id: string;
  idx: number;
  author_id: string;
  author_name: string;
  model: string | null;
  text: string;
  words: number;
  prompt_hash: string | null;
  prompt_tokens: number;
  reused_tokens: number;
  completion_tokens: number;
  ttft_ms: number | null;
  total_ms: number | null;
  attempts: number;
  generation_id: number | null;
}

export interface NewStory {
  id: string;
  prompt: string;
  promptSource: string | null;
  documentId: string;
  authors: StoryAuthor[];
  config: StoryConfig;
  batchId: string | null;
  batchIndex: number | null;
}

/** A batch's stories by their position in the batch, for resuming it. */
export interface BatchEntry {
  id: string;
  index: number;
  status: StoryStatus;
}

export interface TokenTotals {
  promptTokens: number;
  reusedTokens: number;
  completionTokens: number;
}

/** Parts are joined by a blank line (a part is one paragraph at least). */
export const PART_SEPARATOR = '\n\n';

/** The SQL of the stories capability (tables from migration 0008). */
export class StoryStore {
  constructor(private readonly db: Database.Database) {}

  insert(story: NewStory): void {
    this.db
      .prepare(
        `INSERT INTO stories (id, prompt, prompt_source, document_id, authors, config, status, batch_id, batch_index, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'writing', ?, ?, ?)`,
      )
      .run(
        story.id,
        story.prompt,
        story.promptSource,
        story.documentId,
        JSON.stringify(story.authors),
        JSON.stringify(story.config),
        story.batchId,
        story.batchIndex,
        Date.now(),
      );
  }

  insertPart(storyId: string, p: StoryPart): void {
    this.db
      .prepare(
        `INSERT INTO story_parts (story_id, idx, author_id, author_name, model, text, words, prompt_hash, prompt_tokens,
           reused_tokens, completion_tokens, ttft_ms, total_ms, attempts, generation_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        storyId,
        p.index,
        p.authorId,
        p.authorName,
        p.model,
        p.text,
        p.words,
        p.promptHash,
        p.promptTokens,
        p.reusedTokens,
        p.completionTokens,
        p.timeToFirstTokenMs,
        p.totalMs,
        p.attempts,
        p.generationId,
      );
  }

  setStatus(id: string, status: StoryStatus, error: string | null = null): void {
    const finished = status === 'done' || status === 'failed' ? Date.now() : null;
    this.db
      .prepare('UPDATE stories SET status = ?, error = ?, finished_at = ? WHERE id = ?')
      .run(status, error, finished, id);
  }

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM stories WHERE id = ?').get(id) !== undefined;
  }

  /** Throws AppError('not_found'). */
  get(id: string): Story {
    const row = this.db.prepare('SELECT * FROM stories WHERE id = ?').get(id) as StoryRow | undefined;
    if (!row) throw notFound('Story', id);
    return this.toStory(row);
  }

  parts(id: string): StoryPart[] {
    const rows = this.db.prepare('SELECT * FROM story_parts WHERE story_id = ? ORDER BY idx').all(id) as PartRow[];
    return rows.map(toPart);
  }

  list(filter: StoryListFilter = {}): { items: StorySummary[]; total: number } {
    const f = storyListFilterSchema.parse(filter);
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.batchId) {
      where.push('s.batch_id = ?');
      args.push(f.batchId);
    }
    if (f.status) {
      where.push('s.status = ?');
      args.push(f.status);
    }
    if (f.authorId) {
      where.push(`EXISTS (SELECT 1 FROM json_each(s.authors) a WHERE json_extract(a.value, '$.id') = ?)`);
      args.push(f.authorId);
    }
    if (f.search) {
      where.push(
        `(s.prompt LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM story_parts p WHERE p.story_id = s.id AND p.text LIKE ? ESCAPE '\\'))`,
      );
      const like = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      args.push(like, like);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM stories s ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT s.* FROM stories s ${clause} ORDER BY s.created_at DESC, s.rowid DESC LIMIT ? OFFSET ?`)
      .all(...args, f.limit, f.offset) as StoryRow[];
    const stats = this.db.prepare(
      `SELECT COUNT(*) AS parts, COALESCE(SUM(words), 0) AS words,
         (SELECT text FROM story_parts WHERE story_id = ? ORDER BY idx LIMIT 1) AS first
       FROM story_parts WHERE story_id = ?`,
    );
    const items = rows.map((row): StorySummary => {
      const s = stats.get(row.id, row.id) as { parts: number; words: number; first: string | null };
      const { parts: _parts, text: _text, config: _config, ...rest } = this.toStory(row, []);
      const first = s.first ?? '';
      return {
        ...rest,
        parts: s.parts,
        words: s.words,
        excerpt: first.length > 200 ? `${first.slice(0, 199)}…` : first,
      };
    });
    return { items, total };
  }

  /** Finished stories in creation order (export), optionally of one batch. */
  *finished(batchId?: string): Iterable<Story> {
    const rows = this.db
      .prepare(
        `SELECT * FROM stories WHERE status = 'done' ${batchId ? 'AND batch_id = ?' : ''} ORDER BY created_at, batch_index, rowid`,
      )
      .all(...(batchId ? [batchId] : [])) as StoryRow[];
    for (const row of rows) yield this.toStory(row);
  }

  batchEntries(batchId: string): BatchEntry[] {
    return (
      this.db.prepare('SELECT id, batch_index, status FROM stories WHERE batch_id = ?').all(batchId) as Array<{
        id: string;
        batch_index: number;
        status: StoryStatus;
      }>
    ).map((r) => ({ id: r.id, index: r.batch_index, status: r.status }));
  }

  batchTokens(batchId: string): TokenTotals {
    return this.db
      .prepare(
        `SELECT COALESCE(SUM(p.prompt_tokens), 0) AS promptTokens, COALESCE(SUM(p.reused_tokens), 0) AS reusedTokens,
           COALESCE(SUM(p.completion_tokens), 0) AS completionTokens
         FROM story_parts p JOIN stories s ON s.id = p.story_id WHERE s.batch_id = ?`,
      )
      .get(batchId) as TokenTotals;
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM stories WHERE id = ?').run(id);
  }

  private toStory(row: StoryRow, parts = this.parts(row.id)): Story {
    return {
      id: row.id,
      prompt: row.prompt,
      promptSource: row.prompt_source,
      documentId: row.document_id,
      authors: JSON.parse(row.authors) as StoryAuthor[],
      config: JSON.parse(row.config) as StoryConfig,
      status: row.status,
      parts,
      text: parts.map((p) => p.text).join(PART_SEPARATOR),
      error: row.error,
      batchId: row.batch_id,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
    };
  }
}

function toPart(r: PartRow): StoryPart {
  return {
    index: r.idx,
    authorId: r.author_id,
    authorName: r.author_name,
    model: r.model,
    text: r.text,
    words: r.words,
    promptHash: r.prompt_hash,
    promptTokens: r.prompt_tokens,
    reusedTokens: r.reused_tokens,
    completionTokens: r.completion_tokens,
    timeToFirstTokenMs: r.ttft_ms,
    totalMs: r.total_ms,
    attempts: r.attempts,
    generationId: r.generation_id,
  };
}
