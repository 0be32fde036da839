import type { ParsedPrompts, StoryPrompt } from '../common/contract';

/** Longest prompt kept (longer lines are reported, not truncated silently). */
export const MAX_PROMPT_CHARS = 4000;
/** Most prompts one file may hold (a batch is prompts × author sets × orders). */
export const MAX_PROMPTS = 100_000;

/**
 * Reads story prompts from a user file by its extension: `.txt` one per line (blank lines and
 * lines starting with # skipped), `.csv` a `prompt` column (RFC 4180 quoting, an optional `id`
 * column), `.jsonl` one `{"prompt"}` or `{"id","prompt"}` object per line. Broken lines are
 * reported with their line numbers and the rest kept. The WritingPrompts `[WP]` tag is removed.
 */
export function parsePromptFile(fileName: string, content: string): ParsedPrompts {
  const base = fileName.split(/[\\/]/).pop() || 'prompts';
  const ext = /\.([a-z0-9]+)$/i.exec(base)?.[1]?.toLowerCase();
  const text = content.replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) return { prompts: [], errors: [{ line: 0, message: 'This is not a text file.' }] };
  const result: ParsedPrompts =
    ext === 'csv'
      ? parseCsv(base, text)
      : ext === 'jsonl' || ext === 'ndjson'
        ? parseJsonl(base, text)
        : parseTxt(base, text);
  if (result.prompts.length > MAX_PROMPTS) {
    result.errors.push({ line: 0, message: `Only the first ${MAX_PROMPTS} prompts are kept.` });
    result.prompts = result.prompts.slice(0, MAX_PROMPTS);
  }
  return result;
}

/** A prompt as stored: whitespace collapsed and a leading `[WP]`-style tag removed (as CollabStory did). */
function cleanPrompt(raw: string): string {
  return raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\[\s*[A-Za-z]{1,4}\s*\]\s*/, '');
}

function accept(out: ParsedPrompts, raw: string, source: string, line: number): void {
  const text = cleanPrompt(raw);
  if (!text) out.errors.push({ line, message: 'The prompt is empty.' });
  else if (text.length > MAX_PROMPT_CHARS)
    out.errors.push({ line, message: `The prompt is longer than ${MAX_PROMPT_CHARS} characters.` });
  else out.prompts.push({ text, source });
}

function parseTxt(file: string, text: string): ParsedPrompts {
  const out: ParsedPrompts = { prompts: [], errors: [] };
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    accept(out, line, `${file}:${i + 1}`, i + 1);
  });
  return out;
}

function parseJsonl(file: string, text: string): ParsedPrompts {
  const out: ParsedPrompts = { prompts: [], errors: [] };
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    const n = i + 1;
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.errors.push({ line: n, message: 'Not valid JSON.' });
      return;
    }
    const obj = value as { prompt?: unknown; id?: unknown } | null;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || typeof obj.prompt !== 'string') {
      out.errors.push({ line: n, message: 'Expected an object with a "prompt" string.' });
      return;
    }
    const id = typeof obj.id === 'string' || typeof obj.id === 'number' ? String(obj.id) : null;
    accept(out, obj.prompt, id ? `${file}#${id}` : `${file}:${n}`, n);
  });
  return out;
}

/** RFC 4180 rows with the line each starts on; quoted fields may span lines. */
function csvRows(text: string): { rows: Array<{ line: number; fields: string[] }>; errors: ParsedPrompts['errors'] } {
  const rows: Array<{ line: number; fields: string[] }> = [];
  const errors: ParsedPrompts['errors'] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let broken = false;
    for (;;) {
      if (i >= text.length) {
        if (quoted) broken = true;
        fields.push(field);
        break;
      }
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (c === '"') {
          quoted = false;
          i++;
        } else {
          if (c === '\n') line++;
          field += c;
          i++;
        }
      } else if (c === '"' && field === '') {
        quoted = true;
        i++;
      } else if (c === ',') {
        fields.push(field);
        field = '';
        i++;
      } else if (c === '\n' || c === '\r') {
        fields.push(field);
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else {
        field += c;
        i++;
      }
    }
    if (broken) errors.push({ line: start, message: 'A quoted field is never closed.' });
    else if (fields.some((f) => f !== '')) rows.push({ line: start, fields });
  }
  return { rows, errors };
}

function parseCsv(file: string, text: string): ParsedPrompts {
  const { rows, errors } = csvRows(text);
  const out: ParsedPrompts = { prompts: [], errors };
  const header = rows.shift();
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const col = names.indexOf('prompt');
  if (col < 0) {
    out.errors.unshift({ line: header?.line ?? 1, message: 'The first row must name a "prompt" column.' });
    return out;
  }
  const idCol = names.indexOf('id');
  for (const row of rows) {
    if (row.fields.length !== names.length) {
      out.errors.push({ line: row.line, message: `Expected ${names.length} fields, found ${row.fields.length}.` });
      continue;
    }
    const id = idCol >= 0 ? row.fields[idCol]!.trim() : '';
    accept(out, row.fields[col]!, id ? `${file}#${id}` : `${file}:${row.line}`, row.line);
  }
  out.errors.sort((a, b) => a.line - b.line);
  return out;
}

export type { StoryPrompt };
