/** Loading the shared detection corpus (../shared/data/detect/*.jsonl). Never copied into the repo. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROLES } from './metrics';

export interface Record_ {
  id: string;
  /** File the record came from (LOSO group), e.g. "outfox-student-essays". */
  group: string;
  source: string;
  domain: string | null;
  lang: string;
  text: string;
  role: number;
  involvement: number;
  generator: string | null;
  /** Character spans of known authorship, when the corpus has them. */
  spans?: [number, number, string][] | null;
  /** True for records cut out of a longer document (see humanSpanRecords). */
  derived?: boolean;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function sharedDir(): string {
  return process.env['PALIMPSEST_SHARED'] ?? path.join(REPO_ROOT, '..', 'shared');
}

export function detectDataDir(): string {
  return path.join(sharedDir(), 'data', 'detect');
}

/** Parse one labelled JSONL file; lines without a known role are skipped. */
export function loadJsonl(file: string, group = path.basename(file, '.jsonl')): Record_[] {
  const out: Record_[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    const role = ROLES.indexOf(r['role'] as (typeof ROLES)[number]);
    if (role < 0 || typeof r['text'] !== 'string') continue;
    const inv = typeof r['involvement'] === 'number' ? r['involvement'] : role === 0 ? 0 : role === 3 ? 1 : NaN;
    out.push({
      id: String(r['id']),
      group,
      source: String(r['source'] ?? group),
      domain: (r['domain'] as string | null) ?? null,
      lang: String(r['lang'] ?? 'en'),
      text: r['text'],
      role,
      involvement: inv,
      generator: (r['generator'] as string | null) ?? null,
      spans: (r['spans'] as [number, number, string][] | null) ?? null,
    });
  }
  return out;
}

export function loadAll(): Record_[] {
  const dir = detectDataDir();
  if (!existsSync(dir)) throw new Error(`detection data not found at ${dir} (set PALIMPSEST_SHARED)`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  return files.flatMap((f) => loadJsonl(path.join(dir, f)));
}

/**
 * Extra human examples cut from co-written documents: every contiguous human-authored stretch of
 * at least `minWords` words (CoAuthor, SeqXGPT prefixes). Human text is scarce (~15% of records)
 * and these come from essay/story writers unlike the news/abstract majority.
 */
export function humanSpanRecords(records: readonly Record_[], minWords = 60): Record_[] {
  const out: Record_[] = [];
  for (const r of records) {
    if (!r.spans || r.role === 0) continue;
    let start = -1;
    let end = -1;
    const emit = (): void => {
      if (start < 0) return;
      const text = r.text.slice(start, end).trim();
      if (text.split(/\s+/).length >= minWords) {
        out.push({ ...r, id: `${r.id}#h${start}`, text, role: 0, involvement: 0, spans: null, derived: true });
      }
      start = -1;
    };
    for (const [s, e, who] of r.spans) {
      if (who === 'human') {
        if (start < 0) start = s;
        end = e;
      } else emit();
    }
    emit();
  }
  return out;
}
