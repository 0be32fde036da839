import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeValidationIssues } from './validation-message';

const issues = (schema: z.ZodType, input: unknown) => schema.safeParse(input).error!.issues;

describe('describeValidationIssues', () => {
  it('names the field as the user knows it, in a sentence, with no internal prefix', () => {
    const s = z.object({
      id: z.string().min(1),
      title: z.string().max(500),
      body: z.string(),
      baseRevision: z.number().int().nonnegative(),
    });
    expect(describeValidationIssues(issues(s, { id: '', title: 'x'.repeat(501), baseRevision: -1 }))).toBe(
      'The id is empty. The title is too long (at most 500 characters). The text is missing. ' +
        'The revision number is too small (at least 0).',
    );
    expect(describeValidationIssues(issues(s, { id: 'a', title: 42, body: '', baseRevision: 0 }))).toBe(
      'The title must be text.',
    );
  });

  it('keeps messages the schema wrote itself, and says which item of a list', () => {
    const s = z.object({ files: z.array(z.object({ text: z.string().max(3, 'The text is too long to check.') })) });
    expect(describeValidationIssues(issues(s, { files: [{ text: 'ok' }, { text: 'long' }] }))).toBe(
      'The text is too long to check.',
    );
    const t = z.object({ files: z.array(z.object({ name: z.string().min(1) })).max(2) });
    expect(describeValidationIssues(issues(t, { files: [{ name: 'a' }, { name: '' }] }))).toBe(
      'The name of item 2 is empty.',
    );
    expect(describeValidationIssues(issues(t, { files: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }))).toBe(
      'There are too many files (at most 2).',
    );
  });

  it('describes enums, numbers and the input as a whole', () => {
    const s = z.object({ operation: z.enum(['type', 'paste']), limit: z.number().max(1000) });
    expect(describeValidationIssues(issues(s, { operation: 'x', limit: 5000 }))).toBe(
      'The operation must be one of: type, paste. The limit is too large (at most 1,000).',
    );
    expect(describeValidationIssues(issues(s, 'x'))).toBe('The request must be an object.');
  });
});
