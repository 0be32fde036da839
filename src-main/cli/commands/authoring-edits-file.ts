import fs from 'node:fs';
import readline from 'node:readline';
import { EDIT_OPERATIONS, type Edit, type EditOperation } from '../../authoring/common/contract';
import { MAX_BODY_CHARS } from '../../documents/common/limits';
import { CliError } from '../output';

/** A `docs apply` file larger than this is refused before reading (the text itself is bounded by the document limit). */
export const MAX_EDITS_FILE_BYTES = 512 * 1024 * 1024;

/** Names keystroke logs use for the contract's operations. */
const ALIASES: Record<string, EditOperation> = {
  insert: 'type',
  typing: 'type',
  keystroke: 'type',
  input: 'type',
  backspace: 'delete',
  del: 'delete',
  'delete-backward': 'delete',
  'delete-forward': 'delete',
};
/** Accepting a model's suggestion, as logs of model co-writing call it (kind "model" only). */
const MODEL_ALIASES: Record<string, EditOperation> = {
  'suggestion-accept': 'generate',
  'accept-suggestion': 'generate',
  accept: 'generate',
  complete: 'generate',
  completion: 'generate',
  suggestion: 'generate',
  'llm-suggestion-accept': 'generate',
};
const KNOWN = new Set<string>(EDIT_OPERATIONS);

/** The edits of a JSONL file and the line each came from (blank lines are skipped). */
export interface EditsFile {
  edits: Edit[];
  lines: number[];
}

/**
 * Streams a `docs apply` file: one JSON edit per line. The first bad line stops reading with its
 * line number; nothing is applied by the caller then.
 */
export async function readEditsFile(file: string): Promise<EditsFile> {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new CliError(`${file} does not exist or cannot be read.`);
  }
  if (size > MAX_EDITS_FILE_BYTES)
    throw new CliError(`${file} is larger than ${MAX_EDITS_FILE_BYTES / 1024 / 1024} MB.`);
  const edits: Edit[] = [];
  const lines: number[] = [];
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    edits.push(parseEditLine(line, n));
    lines.push(n);
  }
  if (edits.length === 0) throw new CliError(`${file} holds no edits.`);
  return { edits, lines };
}

/** One line as an Edit; throws CliError naming the line. */
export function parseEditLine(line: string, n: number): Edit {
  const bad = (why: string): never => {
    throw new CliError(`line ${n}: ${why}; nothing was applied.`);
  };
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return bad('not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('an edit must be a JSON object');
  const o = v as Record<string, unknown>;
  if (typeof o.author !== 'string' || !o.author.trim()) bad('"author" must be a non-empty string');
  if (o.kind !== 'human' && o.kind !== 'model') bad('"kind" must be "human" or "model"');
  if (typeof o.operation !== 'string') bad('"operation" must be a string');
  const raw = (o.operation as string).trim().toLowerCase();
  const operation = KNOWN.has(raw) ? raw : (ALIASES[raw] ?? (o.kind === 'model' ? MODEL_ALIASES[raw] : undefined));
  if (!operation) bad(`unknown operation "${o.operation as string}" (known: ${EDIT_OPERATIONS.join(', ')})`);
  const offset = (key: string) => {
    const x = o[key];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) bad(`"${key}" must be a whole number ≥ 0`);
    return x as number;
  };
  const from = offset('from');
  const to = offset('to');
  if (to < from) bad(`"to" (${to}) is before "from" (${from})`);
  if (typeof o.insert !== 'string') bad('"insert" must be a string ("" for a pure delete)');
  if ((o.insert as string).length > MAX_BODY_CHARS) {
    bad(`"insert" is longer than ${MAX_BODY_CHARS.toLocaleString('en')} characters, the most a document holds`);
  }
  const edit: Edit = {
    author: (o.author as string).trim(),
    kind: o.kind as Edit['kind'],
    operation: operation as EditOperation,
    from,
    to,
    insert: o.insert as string,
  };
  if (o.at !== undefined) {
    if (typeof o.at !== 'number' || !Number.isFinite(o.at) || o.at < 0) bad('"at" must be epoch milliseconds');
    edit.at = Math.round(o.at as number);
  }
  if (o.source !== undefined && o.source !== null) {
    const s = o.source as Record<string, unknown>;
    if (typeof s !== 'object' || !Number.isInteger(s.from) || !Number.isInteger(s.to)) {
      bad('"source" must be {"from": INT, "to": INT}');
    }
    edit.source = { from: s.from as number, to: s.to as number };
  }
  return edit;
}
