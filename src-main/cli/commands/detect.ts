/**
 * `palimpsest detect FILE... | DIR` — readable summary table (or JSON with --json).
 * `palimpsest detect --input IN.jsonl --output OUT.jsonl` — one result line per input line.
 * Loads the detector from models/ itself, so it also runs without the rest of the app.
 */
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import {
  createDetector,
  DetectionError,
  extractText,
  isCalibrationProfile,
  SUPPORTED_EXTENSIONS,
  type CalibrationProfile,
  type DetectionResult,
  type Detector,
} from '../../detection';
import { formatTable, StderrProgress } from './detect-format';
import { runJsonl } from './detect-jsonl';

interface DetectCliOptions {
  input?: string;
  output?: string;
  profile?: string;
  models?: string;
  segments: boolean;
  progress: boolean;
  json?: boolean;
}

export function registerDetect(program: import('commander').Command): void {
  program
    .command('detect')
    .description('Estimate whether and how an LLM took part in writing texts (txt, md, docx, pdf, or JSONL)')
    .argument('[paths...]', 'files or folders to analyse')
    .option('-i, --input <file>', 'JSONL input: one {"id","text"} object per line')
    .option('-o, --output <file>', 'JSONL output for --input ("-" for stdout)', '-')
    .option('--profile <file>', 'calibration profile JSON from recalibration')
    .option('--models <dir>', 'models folder (default: the shipped models/)')
    .option('--no-segments', 'skip per-paragraph analysis (faster)')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--json', 'print file results as JSON')
    .action(async (paths: string[], opts: DetectCliOptions, cmd: Command) => {
      const all = { ...cmd.optsWithGlobals(), ...opts } as DetectCliOptions;
      await runDetect(paths, all);
    });
}

/** Entry used by the command and by tests. Sets process.exitCode; throws only for usage errors. */
export async function runDetect(paths: string[], opts: DetectCliOptions): Promise<void> {
  if (!opts.input && paths.length === 0) {
    throw new DetectionError('bad_input', 'Give files or folders to analyse, or --input FILE.jsonl.');
  }
  const profile = opts.profile ? loadProfile(opts.profile) : undefined;
  const detector = await createDetector(opts.models ? { modelsDir: opts.models } : {});
  try {
    if (opts.input) {
      const s = await runJsonl(detector, {
        input: opts.input,
        output: opts.output ?? '-',
        profile,
        segments: opts.segments,
        progress: opts.progress,
      });
      process.stderr.write(`${s.lines} lines: ${s.flagged} flagged, ${s.abstained} abstained, ${s.errors} errors\n`);
      return;
    }
    await detectFiles(detector, paths, opts, profile);
  } finally {
    await detector.dispose();
  }
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

/** Expand folders (recursively) into supported files; explicit files are kept even if unsupported, to report them. */
async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if ((SUPPORTED_EXTENSIONS as readonly string[]).includes(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (st?.isDirectory()) await walk(p);
    else out.push(p);
  }
  return out;
}

interface FileRow {
  file: string;
  result?: DetectionResult;
  error?: DetectionError;
}

async function detectFiles(
  detector: Detector,
  paths: readonly string[],
  opts: DetectCliOptions,
  profile?: CalibrationProfile,
): Promise<void> {
  const files = await expandPaths(paths);
  const progress = opts.progress && files.length > 3 ? new StderrProgress('detect') : null;
  const rows: FileRow[] = [];
  for (const [i, file] of files.entries()) {
    try {
      const { text } = await extractText(file);
      rows.push({ file, result: await detector.detect(text, { profile, segments: opts.segments }) });
    } catch (e) {
      rows.push({ file, error: DetectionError.from(e) });
    }
    progress?.update(i + 1, files.length);
  }
  progress?.done(files.length);
  if (rows.some((r) => r.error)) process.exitCode = 1;
  if (opts.json) {
    const json = rows.map((r) => (r.error ? { file: r.file, error: r.error.toJSON() } : { file: r.file, ...r.result }));
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return;
  }
  if (files.length === 0) {
    process.stdout.write('No .txt, .md, .docx or .pdf files found.\n');
    return;
  }
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  const table = rows.map((r) => {
    if (r.error)
      return {
        file: r.file,
        words: '',
        verdict: 'ERROR',
        'AI likelihood': '',
        involvement: '',
        note: r.error.userMessage,
      };
    const d = r.result!;
    const flagged = d.segments.filter((s) => s.role !== 'human').length;
    return {
      file: r.file,
      words: String(d.word_count),
      verdict: d.abstained ? 'abstained' : d.role,
      'AI likelihood': `${pct(d.ai_probability)} [${pct(d.confidence_band[0])}–${pct(d.confidence_band[1])}]`,
      involvement: d.abstained ? '' : pct(d.involvement),
      note: d.segments.length > 1 ? `${flagged}/${d.segments.length} segments LLM-like. ${d.caveat}` : d.caveat,
    };
  });
  process.stdout.write(formatTable(table, ['file', 'words', 'verdict', 'AI likelihood', 'involvement', 'note']));
  const th = profile?.threshold ?? detector.defaults.threshold;
  process.stdout.write(
    `\nThreshold ${pct(th)}${profile ? ` (profile${profile.name ? ` "${profile.name}"` : ''})` : ' (default, ~1% false positives on human text in validation)'}. Estimates, not proof.\n`,
  );
}
