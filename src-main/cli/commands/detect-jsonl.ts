/**
 * The `detect --input IN.jsonl --output OUT.jsonl` path: streams lines (bounded memory: an
 * over-long line is refused as it streams, a batch holds at most CHUNK_CHARS of text), scores them
 * in small batches, writes one output line per input line in order, never stops on a bad line.
 */
import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import {
  DetectionError,
  MAX_CHARS,
  shownNumbers,
  type CalibrationProfile,
  type OperatingPoint,
  type DetectionResult,
  type Detector,
} from '../../detection';
import { StderrProgress } from './detect-format';
import { jsonlLines } from './detect-jsonl-lines';
import type { LmAssist, LmResult } from './detect-lm';

/** Lines scored per ONNX batch: big enough to amortize the call, small enough for steady progress. */
const CHUNK = 32;
/** A batch is scored once its texts reach this many characters, however few lines it has. */
const CHUNK_CHARS = 2_000_000;
/**
 * Longest input line read (bytes). A text of MAX_CHARS characters takes at most 6 MB of UTF-8; a
 * longer line cannot hold a text the detector accepts, so it is refused without being kept.
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

export interface JsonlOptions {
  input: string;
  /** File path, or '-' for stdout. */
  output: string;
  profile?: CalibrationProfile;
  operatingPoint?: OperatingPoint;
  segments: boolean;
  progress: boolean;
  /** LM-assisted mode (experimental): each non-abstained result is scored and combined. */
  lm?: LmAssist;
}

export interface JsonlSummary {
  lines: number;
  errors: number;
  flagged: number;
  abstained: number;
  /** Lines whose verdict the LM moved (0 without `lm`). */
  lmAssisted: number;
}

interface Pending {
  line: number;
  id: unknown;
  text?: string;
  error?: DetectionError;
}

/**
 * One output record in the documented schema (extra fields: abstained, confidence_band, ...).
 * An abstained result carries no numbers: its numeric fields are null (common/agreement.ts).
 */
export function toOutputRecord(id: unknown, r: DetectionResult | LmResult): Record<string, unknown> {
  const n = shownNumbers(r);
  const out: Record<string, unknown> = {
    id,
    verdict: r.verdict,
    operating_point: r.operating_point,
    role: r.role,
    role_probs: n?.roleProbs ?? null,
    involvement: n?.involvement ?? null,
    ai_probability: n?.aiProbability ?? null,
    segments: r.segments.map((s) => ({
      start: s.start,
      end: s.end,
      role: s.role,
      verdict: s.verdict,
      involvement: n ? s.involvement : null,
      ai_probability: n ? s.ai_probability : null,
      authorship_change: s.authorship_change,
    })),
    abstained: r.abstained,
    confidence_band: n?.band ?? null,
    threshold: r.threshold,
    inconclusive_from: r.inconclusive_from,
    structure: r.structure,
    score_meaning: n ? r.score_meaning : null,
    word_count: r.word_count,
  };
  if (r.abstain_reason) out['abstain_reason'] = r.abstain_reason;
  // LM-assisted mode only: the default record is unchanged.
  if ('lm_assisted' in r) {
    out['lm_assisted'] = r.lm_assisted;
    if ('lm_features' in r) {
      out['lm_features'] = r.lm_features;
      out['lm_logit_shift'] = r.lm_logit_shift;
      if (r.lm_shift_note) out['lm_shift_note'] = r.lm_shift_note;
    }
    if ('lm_error' in r && r.lm_error) out['lm_error'] = r.lm_error;
  }
  return out;
}

/** A failed line keeps the schema (neutral values, abstained) so downstream parsers never break. */
export function errorRecord(id: unknown, line: number, e: DetectionError): Record<string, unknown> {
  return {
    id: id ?? null,
    verdict: 'inconclusive',
    role: 'human',
    role_probs: null,
    involvement: null,
    ai_probability: null,
    segments: [],
    abstained: true,
    abstain_reason: 'error',
    error: { code: e.code, message: e.userMessage, line },
  };
}

function parseLine(raw: string, line: number): Pending {
  let obj: unknown;
  try {
    // Editors on Windows may start the file with a byte-order mark.
    obj = JSON.parse(line === 1 ? raw.replace(/^\uFEFF/, '') : raw);
  } catch {
    return { line, id: null, error: new DetectionError('bad_input', 'This line is not valid JSON.') };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return {
      line,
      id: null,
      error: new DetectionError('bad_input', 'Each line must be a JSON object with "id" and "text".'),
    };
  }
  const rec = obj as Record<string, unknown>;
  const id = rec['id'] ?? null;
  if (typeof rec['text'] !== 'string')
    return { line, id, error: new DetectionError('bad_input', 'The "text" field is missing or not a string.') };
  // Refused here, so a batch never holds a text the detector would refuse anyway.
  if (rec['text'].length > MAX_CHARS) return { line, id, error: tooLarge() };
  return { line, id, text: rec['text'] };
}

const tooLarge = (): DetectionError =>
  new DetectionError(
    'too_large',
    `The text is too long to analyse (over ${MAX_CHARS.toLocaleString('en')} characters).`,
  );

const lineTooLong = (): DetectionError =>
  new DetectionError(
    'too_large',
    `This line is longer than ${MAX_LINE_BYTES / (1024 * 1024)} MB; a text may have at most ${MAX_CHARS.toLocaleString('en')} characters.`,
  );

/** Opens the output file before any work, so a bad path is one clear error, not an 'error' event. */
async function openOutput(file: string): Promise<WriteStream> {
  const stream = createWriteStream(file, { encoding: 'utf8' });
  try {
    await once(stream, 'open');
  } catch (e) {
    throw cannotWrite(file, e);
  }
  return stream;
}

function cannotWrite(file: string, e: unknown): DetectionError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOENT'
      ? 'its folder does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'ENOSPC'
            ? 'the disk is full'
            : ((e as Error)?.message ?? String(e));
  return new DetectionError('bad_input', `Cannot write the output file ${file}: ${why}.`, { path: file }, { cause: e });
}

export async function runJsonl(detector: Detector, opts: JsonlOptions): Promise<JsonlSummary> {
  let total: number | null = null;
  try {
    total = statSync(opts.input).size;
  } catch (e) {
    throw new DetectionError('not_found', `Input file not found: ${opts.input}`, {}, { cause: e });
  }
  const file = opts.output === '-' ? null : await openOutput(opts.output);
  const out: Writable = file ?? process.stdout;
  // A write error (disk full, file removed) fails the run with one message at the next write.
  let writeError: DetectionError | null = null;
  file?.on('error', (e) => (writeError ??= cannotWrite(opts.output, e)));
  const write = async (s: string): Promise<void> => {
    if (writeError) throw writeError;
    if (!out.write(s)) await once(out, 'drain').catch((e: unknown) => Promise.reject(cannotWrite(opts.output, e)));
  };
  const progress = opts.progress ? new StderrProgress('detect') : null;
  const summary: JsonlSummary = { lines: 0, errors: 0, flagged: 0, abstained: 0, lmAssisted: 0 };
  let bytes = 0;
  let chunk: Pending[] = [];
  let chunkChars = 0;

  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const todo = chunk.filter((p) => p.text !== undefined);
    let results: (DetectionResult | LmResult | DetectionError)[] = [];
    try {
      results = await detector.detectMany(
        todo.map((p) => p.text!),
        { profile: opts.profile, segments: opts.segments, operatingPoint: opts.operatingPoint },
      );
    } catch (e) {
      // A failure of the whole batch (should not happen) still yields one error line per input.
      results = todo.map(() => DetectionError.from(e));
    }
    if (opts.lm) {
      // One document at a time through the one loaded model (scoring is far slower than the detector).
      for (const [i, r] of results.entries()) {
        if (DetectionError.isInstance(r)) continue;
        const assisted = await opts.lm.assist(r, todo[i]!.text!);
        if (assisted.lm_assisted) summary.lmAssisted++;
        results[i] = assisted;
        progress?.update(summary.lines - todo.length + i + 1, null, bytes, total);
      }
    }
    let k = 0;
    let buf = '';
    for (const p of chunk) {
      const r = p.text !== undefined ? results[k++]! : p.error!;
      let rec: Record<string, unknown>;
      if (DetectionError.isInstance(r)) {
        summary.errors++;
        rec = errorRecord(p.id, p.line, r);
      } else {
        if (r.abstained) summary.abstained++;
        else if (r.verdict === 'llm') summary.flagged++;
        rec = toOutputRecord(p.id, r);
      }
      buf += JSON.stringify(rec) + '\n';
    }
    await write(buf);
    chunk = [];
    chunkChars = 0;
    progress?.update(summary.lines, null, bytes, total);
  };

  try {
    for await (const { lineNo, text, bytes: n } of jsonlLines(createReadStream(opts.input), MAX_LINE_BYTES)) {
      bytes += n;
      if (text !== null && text.trim() === '') continue;
      summary.lines++;
      const p: Pending = text === null ? { line: lineNo, id: null, error: lineTooLong() } : parseLine(text, lineNo);
      chunk.push(p);
      chunkChars += p.text?.length ?? 0;
      if (chunk.length >= CHUNK || chunkChars >= CHUNK_CHARS) await flush();
    }
    await flush();
    progress?.done(summary.lines);
    if (file) {
      file.end();
      await once(file, 'finish').catch((e: unknown) => Promise.reject(cannotWrite(opts.output, e)));
    }
  } catch (e) {
    file?.destroy();
    throw e;
  }
  return summary;
}
