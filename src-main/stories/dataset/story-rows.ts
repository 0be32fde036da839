/**
 * One story as one flat row, the same in stories.jsonl, stories.csv and stories.parquet. Per-part
 * values are JSON-encoded list columns (`part_authors` = '["a","b"]' ...) so CSV and Parquet keep
 * one cell per story and pandas reads every column as-is (json.loads gives the lists back).
 */
import type { Story } from '../common/contract';

export interface StoryRow {
  id: string;
  prompt: string;
  prompt_source: string | null;
  num_authors: number;
  /** Author ids in the order they took turns (one per author, first turn order). */
  author_order: string[];
  num_parts: number;
  part_authors: string[];
  part_author_names: string[];
  part_models: Array<string | null>;
  part_texts: string[];
  part_words: number[];
  text: string;
  words: number;
  preset: string;
  context: string;
  seed: number;
  batch_id: string | null;
  created_at: string;
}

/** Columns in file order; list columns are JSON-encoded in CSV and Parquet. */
export const ROW_COLUMNS = [
  'id',
  'prompt',
  'prompt_source',
  'num_authors',
  'author_order',
  'num_parts',
  'part_authors',
  'part_author_names',
  'part_models',
  'part_texts',
  'part_words',
  'text',
  'words',
  'preset',
  'context',
  'seed',
  'batch_id',
  'created_at',
] as const satisfies readonly (keyof StoryRow)[];

export const LIST_COLUMNS = new Set<keyof StoryRow>([
  'author_order',
  'part_authors',
  'part_author_names',
  'part_models',
  'part_texts',
  'part_words',
]);

export function storyRow(story: Story): StoryRow {
  const order: string[] = [];
  for (const p of story.parts) if (!order.includes(p.authorId)) order.push(p.authorId);
  const words = story.parts.reduce((s, p) => s + p.words, 0);
  return {
    id: story.id,
    prompt: story.prompt,
    prompt_source: story.promptSource,
    num_authors: order.length,
    author_order: order,
    num_parts: story.parts.length,
    part_authors: story.parts.map((p) => p.authorId),
    part_author_names: story.parts.map((p) => p.authorName),
    part_models: story.parts.map((p) => p.model),
    part_texts: story.parts.map((p) => p.text),
    part_words: story.parts.map((p) => p.words),
    text: story.text,
    words,
    preset: story.config.preset,
    context: story.config.context,
    seed: story.config.seed,
    batch_id: story.batchId,
    created_at: new Date(story.createdAt).toISOString(),
  };
}

/** A row with its list columns JSON-encoded (CSV, Parquet). */
export function flatRow(row: StoryRow): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const c of ROW_COLUMNS)
    out[c] = LIST_COLUMNS.has(c) ? JSON.stringify(row[c]) : (row[c] as string | number | null);
  return out;
}

/** RFC 4180 CSV (quoted when needed, CRLF rows, UTF-8 without BOM: pandas and csv readers take it as is). */
export function rowsToCsv(rows: readonly StoryRow[]): string {
  const lines = [ROW_COLUMNS.join(',')];
  for (const r of rows) {
    const flat = flatRow(r);
    lines.push(ROW_COLUMNS.map((c) => csvCell(flat[c] ?? null)).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
