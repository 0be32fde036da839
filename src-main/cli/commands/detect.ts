/**
 * `palimpsest detect FILE... | DIR` — readable summary table (or JSON with --json).
 * `palimpsest detect --input IN.jsonl --output OUT.jsonl` — one result line per input line.
 * Loads the detector from models/ itself, so it also runs without the rest of the app.
 * `--lm-model PATH.gguf` adds the experimental LM-assisted mode (detect-lm.ts, loaded only then).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { expandPaths } from '../../checks/expand-paths';
import {
  createDetector,
  DetectionError,
  extractText,
  isCalibrationProfile,
  MAX_LM_WEIGHT,
  MIN_LM_TOKENS,
  OPERATING_POINTS,
  shownNumbers,
  type CalibrationProfile,
  type OperatingPoint,
  type DetectionResult,
  type Detector,
} from '../../detection';
import { CliError } from '../output';
import { formatTable, StderrProgress } from './detect-format';
import { runJsonl } from './detect-jsonl';
import type { LmAssist, LmResult } from './detect-lm';

interface DetectCliOptions {
  input?: string;
  output?: string;
  profile?: string;
  /** strict (default) or standard. */
  operatingPoint?: string;
  models?: string;
  segments: boolean;
  progress: boolean;
  json?: boolean;
  /** GGUF model for the LM-assisted mode (off when absent). */
  lmModel?: string;
  /** Largest logit shift from the LM features, 0–MAX_LM_WEIGHT (string from the command line). */
  lmWeight?: string | number;
}

const EXIT_HELP = `
Exit status: 0 when at least one file (or JSONL line) was checked, even if others
failed (their errors are in the table, the JSON or the output lines); 1 when nothing
could be checked (no file found, every file or line failed, or the model, profile,
input or output cannot be used); 2 for usage errors.
`;

const LM_HELP = `
LM-assisted mode (optional, experimental; off unless --lm-model is given):
  --lm-model PATH.gguf scores each text the detector does not abstain on with a
  local GGUF language model (loaded once per run, on the CPU) and moves its AI
  likelihood by less than --lm-weight logits (default 1, at most ${MAX_LM_WEIGHT}) following
  the Fast-DetectGPT criterion. Results gain lm_assisted and lm_features; the
  table gains an LM column. The weights are NOT validated on real LLM text: see
  models/detect/MODEL_CARD.md, "LM-assisted mode".
`;

export function registerDetect(program: import('commander').Command): void {
  program
    .command('detect')
    .description('Estimate whether and how an LLM took part in writing texts (txt, md, docx, pdf, or JSONL)')
    .argument('[paths...]', 'files or folders to analyse')
    .option('-i, --input <file>', 'JSONL input: one {"id","text"} object per line')
    .option('-o, --output <file>', 'JSONL output for --input ("-" for stdout)', '-')
    .option('--profile <file>', 'calibration profile JSON from recalibration')
    .option(
      '--operating-point <point>',
      'strict (default: every known human group ≤ 1% flagged) or standard (1% of human texts overall)',
    )
    .option('--models <dir>', 'models folder (default: the shipped models/)')
    .option('--no-segments', 'skip per-paragraph analysis (faster)')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--json', 'print file results as JSON')
    .option('--lm-model <file>', 'experimental: also score texts with a local GGUF model (see below)')
    .option('--lm-weight <w>', `largest logit shift from --lm-model, 0–${MAX_LM_WEIGHT} (default 1)`)
    .addHelpText('after', EXIT_HELP + LM_HELP)
    .action(async (paths: string[], opts: DetectCliOptions, cmd: Command) => {
      const all = { ...cmd.optsWithGlobals(), ...opts } as DetectCliOptions;
      await runDetect(paths, all);
    });
}

/**
 * Entry used by the command and by tests. Per-file and per-line errors are reported in the output;
 * throws (exit 1) when nothing could be checked: no file found, every file or line failed, or the
 * model, profile, input or output cannot be used.
 */
export async function runDetect(paths: string[], opts: DetectCliOptions): Promise<void> {
  if (!opts.input && paths.length === 0) {
    throw new DetectionError('bad_input', 'Give files or folders to analyse, or --input FILE.jsonl.');
  }
  const lmWeight = parseLmWeight(opts);
  const operatingPoint = parseOperatingPoint(opts.operatingPoint);
  const profile = opts.profile ? loadProfile(opts.profile) : undefined;
  // The model is validated and loaded before any detection, once for the whole run.
  const lm = opts.lmModel ? await (await import('./detect-lm')).openLmAssist(opts.lmModel, lmWeight) : undefined;
  try {
    const detector = await createDetector(opts.models ? { modelsDir: opts.models } : {});
    try {
      if (opts.input) {
        const s = await runJsonl(detector, {
          input: opts.input,
          output: opts.output ?? '-',
          profile,
          operatingPoint,
          segments: opts.segments,
          progress: opts.progress,
          ...(lm && { lm }),
        });
        process.stderr.write(
          `${s.lines} lines: ${s.flagged} flagged, ${s.abstained} abstained, ${s.errors} errors` +
            (lm ? `, ${s.lmAssisted} LM-assisted (${lm.label}, experimental)` : '') +
            '\n',
        );
        if (s.lines > 0 && s.errors === s.lines) throw new CliError(nothingChecked(s.lines, 'line'));
        return;
      }
      await detectFiles(detector, paths, { ...opts, operatingPoint }, profile, lm);
    } finally {
      await detector.dispose();
    }
  } finally {
    await lm?.dispose();
  }
}

function parseOperatingPoint(v: string | undefined): OperatingPoint {
  if (v === undefined) return 'strict';
  if (!(OPERATING_POINTS as readonly string[]).includes(v)) {
    throw new CliError(`--operating-point must be strict or standard, not "${v}".`, 2);
  }
  return v as OperatingPoint;
}

function parseLmWeight(opts: DetectCliOptions): number | undefined {
  if (opts.lmWeight === undefined) return undefined;
  if (!opts.lmModel) throw new DetectionError('bad_input', '--lm-weight needs --lm-model.');
  const w = typeof opts.lmWeight === 'number' ? opts.lmWeight : Number(opts.lmWeight);
  if (String(opts.lmWeight).trim() === '' || !Number.isFinite(w) || w < 0 || w > MAX_LM_WEIGHT) {
    throw new DetectionError('bad_input', `--lm-weight must be a number from 0 to ${MAX_LM_WEIGHT}.`);
  }
  return w;
}

function loadProfile(file: string): CalibrationProfile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DetectionError('bad_input', `Could not read the calibration profile ${file}.`, {}, { cause: e });
  }
  if (!isCalibrationProfile(parsed)) throw new DetectionError('bad_input', `${file} is not a calibration profile.`);
  return parsed;
}

interface FileRow {
  file: string;
  result?: DetectionResult | LmResult;
  error?: DetectionError;
}

async function detectFiles(
  detector: Detector,
  paths: readonly string[],
  opts: DetectCliOptions,
  profile?: CalibrationProfile,
  lm?: LmAssist,
): Promise<void> {
  // The same rule as `checks run` (checks/expand-paths.ts), without its batch size limit: files
  // are scored one at a time here.
  const files = expandPaths(paths, { maxFiles: Infinity });
  const progress = opts.progress && files.length > 3 ? new StderrProgress('detect') : null;
  const rows: FileRow[] = [];
  for (const [i, file] of files.entries()) {
    try {
      const { text } = await extractText(file);
      const result = await detector.detect(text, {
        profile,
        segments: opts.segments,
        operatingPoint: opts.operatingPoint as OperatingPoint,
      });
      rows.push({ file, result: lm ? await lm.assist(result, text) : result });
    } catch (e) {
      rows.push({ file, error: DetectionError.from(e) });
    }
    progress?.update(i + 1, files.length);
  }
  progress?.done(files.length);
  printFileRows(detector, rows, opts, profile, lm);
  // Per-file errors are in the output; only a run that checked nothing is a failure.
  if (rows.every((r) => r.error)) throw new CliError(nothingChecked(rows.length, 'file'));
}

/** "None of the 3 files could be checked." */
const nothingChecked = (n: number, what: 'file' | 'line'): string =>
  n === 1 ? `The ${what} could not be checked.` : `None of the ${n} ${what}s could be checked.`;

function printFileRows(
  detector: Detector,
  rows: readonly FileRow[],
  opts: DetectCliOptions,
  profile?: CalibrationProfile,
  lm?: LmAssist,
): void {
  if (opts.json) {
    const json = rows.map((r) =>
      r.error ? { file: r.file, error: r.error.toJSON() } : { file: r.file, ...jsonResult(r.result!) },
    );
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return;
  }
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  const table = rows.map((r) => {
    if (r.error)
      return {
        file: r.file,
        words: '',
        verdict: 'ERROR',
        'score [band]': '',
        involvement: '',
        ...(lm && { LM: '' }),
        note: r.error.userMessage,
      };
    const d = r.result!;
    const n = shownNumbers(d);
    const flagged = d.segments.filter((s) => s.verdict === 'llm').length;
    return {
      file: r.file,
      words: String(d.word_count),
      verdict: d.abstained ? 'abstained' : d.verdict === 'llm' ? `llm (${d.role})` : d.verdict,
      'score [band]': n ? `${pct(n.aiProbability)} [${pct(n.band[0])}–${pct(n.band[1])}]` : '',
      involvement: n && d.verdict === 'llm' ? pct(n.involvement) : '',
      ...(lm && { LM: lmNote(d) }),
      note: d.segments.length > 1 ? `${flagged}/${d.segments.length} segments LLM-like. ${d.caveat}` : d.caveat,
    };
  });
  const columns = ['file', 'words', 'verdict', 'score [band]', 'involvement', ...(lm ? ['LM'] : []), 'note'];
  process.stdout.write(formatTable(table, columns));
  const th = rows.find((r) => r.result)?.result?.threshold ?? profile?.threshold ?? detector.defaults.threshold;
  process.stdout.write(
    (lm
      ? `\nLM: ${lm.label} (experimental, weight ${lm.weight ?? 1}, not validated on real LLM text; see models/detect/MODEL_CARD.md). ` +
        'The column gives the Fast-DetectGPT criterion and the logit shift applied.'
      : '') +
      `\nOperating point ${opts.operatingPoint ?? 'strict'}: llm from ${pct(th)}${profile ? ` (profile${profile.name ? ` "${profile.name}"` : ''})` : ''}, inconclusive from ${pct(rows.find((r) => r.result)?.result?.inconclusive_from ?? th)}. Estimates, not proof.\n`,
  );
}

/** A file's result for --json: an abstained one carries no numbers (common/agreement.ts). */
function jsonResult(r: DetectionResult | LmResult): Record<string, unknown> {
  if (!r.abstained) return { ...r };
  return {
    ...r,
    ai_probability: null,
    confidence_band: null,
    involvement: null,
    role_probs: null,
    score_meaning: null,
    segments: r.segments.map((s) => ({ ...s, ai_probability: null, involvement: null })),
  };
}

/** The table's LM column: criterion and shift, or why the LM was not used. */
function lmNote(r: DetectionResult | LmResult): string {
  if (!('lm_assisted' in r)) return '';
  if (r.lm_assisted) {
    const sign = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
    return `FDG ${sign(r.lm_features.fastDetectGptScore)}, shift ${sign(r.lm_logit_shift)}`;
  }
  if ('lm_error' in r && r.lm_error) return `error: ${r.lm_error}`;
  if (r.abstained) return 'not used (abstained)';
  return `not used (< ${MIN_LM_TOKENS} tokens)`;
}
