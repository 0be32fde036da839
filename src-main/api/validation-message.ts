import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** Words a user knows for field names that are not plain English (`body` is what they call the text). */
const FIELD_WORDS: Record<string, string> = {
  body: 'text',
  base64: 'file',
  baseRevision: 'revision number',
  lmModel: 'model',
  query: 'search text',
  maxTokens: 'maximum number of tokens',
};

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/** zod's own English messages; anything else was written for this schema and is shown as is. */
const ZOD_DEFAULT = /^(Invalid|Too (big|small)|Unrecognized)\b/;

/**
 * One plain sentence per validation issue, naming the field the way a user knows it:
 * "The title is too long (at most 500 characters)." Messages a schema sets itself ("Paste a text
 * to check.") are kept. The UI shows the result as is; the CLI prints the same line.
 */
export function describeValidationIssues(issues: readonly Issue[]): string {
  return issues.map(describeIssue).join(' ');
}

function describeIssue(issue: Issue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  const noun = fieldNoun(issue.path);
  const field = noun === null ? 'The request' : `The ${noun}`;
  const items = noun ?? 'items';
  const n = (v: number | bigint) => v.toLocaleString('en-US');
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return `${field} is too long (at most ${n(issue.maximum)} characters).`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `There are too many ${items} (at most ${n(issue.maximum)}).`;
      return `${field} is too large (at most ${n(issue.maximum)}).`;
    case 'too_small': {
      const min = issue.minimum;
      if (issue.origin === 'string')
        return Number(min) <= 1 ? `${field} is empty.` : `${field} is too short (at least ${n(min)} characters).`;
      if (issue.origin === 'array' || issue.origin === 'set') return `There are too few ${items} (at least ${n(min)}).`;
      return issue.inclusive === false
        ? `${field} must be more than ${n(min)}.`
        : `${field} is too small (at least ${n(min)}).`;
    }
    case 'invalid_type':
      // zod 4 keeps no input in the issue; its message says what it received.
      if (/received undefined$/.test(issue.message)) return `${field} is missing.`;
      return `${field} must be ${EXPECTED_WORDS[issue.expected] ?? issue.expected}.`;
    case 'invalid_value':
      return `${field} must be one of: ${issue.values.map(String).join(', ')}.`;
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}.`;
    default:
      return `${field} is not valid.`;
  }
}

/** "title", "text of item 3" (files.2.text); null for the input as a whole. */
function fieldNoun(path: readonly PropertyKey[]): string | null {
  const names = path.filter((p): p is string => typeof p === 'string');
  const index = [...path].reverse().find((p): p is number => typeof p === 'number');
  const last = names.at(-1);
  if (last === undefined) return index === undefined ? null : `item ${index + 1}`;
  const words = FIELD_WORDS[last] ?? last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return index === undefined ? words : `${words} of item ${index + 1}`;
}
