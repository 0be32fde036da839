import { z } from 'zod';
import { AppError } from '../../core/app-error';
import type { CurationService, FileCurationLine } from './curation-service';

/** `library curate --input EVENTS.jsonl`: one event a line, passages named by source file. */
const lineSchema = z
  .object({
    query: z.string().max(10_000),
    doc: z.string().min(1).max(1_000),
    chunk: z.number().int().nonnegative().optional(),
    action: z.enum(['pin', 'exclude', 'rate']),
    value: z.number().int().min(1).max(5).optional(),
  })
  .refine((l) => l.action !== 'rate' || l.value !== undefined, {
    message: 'a rate line needs "value" (1 to 5)',
    path: ['value'],
  });

/** Most lines one call takes (a file of this many events is well past any hand-curated log). */
export const MAX_CURATION_LINES = 200_000;

export interface CurationLinesResult {
  applied: number;
  /** Blank lines are skipped, not counted. */
  lines: number;
  errors: Array<{ line: number; error: string }>;
}

/**
 * Parses, resolves and records curation lines. A bad line (not JSON, a missing or wrong field, a
 * file or chunk the library does not have) is reported with its 1-based line number and the rest
 * are applied, in one transaction.
 */
export async function applyCurationLines(
  service: CurationService,
  lines: readonly string[],
): Promise<CurationLinesResult> {
  if (lines.length > MAX_CURATION_LINES)
    throw new AppError('bad_request', `At most ${MAX_CURATION_LINES.toLocaleString('en-US')} lines at once.`);
  const errors: CurationLinesResult['errors'] = [];
  const resolved: Parameters<CurationService['recordLines']>[0] = [];
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (!raw) continue;
    count++;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      errors.push({ line: i + 1, error: 'not valid JSON' });
      continue;
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      errors.push({ line: i + 1, error: `${issue.path.join('.') || 'line'}: ${issue.message}` });
      continue;
    }
    const line: FileCurationLine = parsed.data;
    try {
      resolved.push({ line, passage: await service.resolveLine(line) });
    } catch (e) {
      errors.push({ line: i + 1, error: AppError.isInstance(e) ? e.userMessage : String(e) });
    }
  }
  const applied = resolved.length ? service.recordLines(resolved).length : 0;
  return { applied, lines: count, errors };
}
