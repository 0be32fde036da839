/**
 * Detection benchmarks (JSON lines on stdout):
 * - detect.doc_1000w: ms to score one 1,000-word document (with segments) vs feature extraction alone.
 * - detect.batch_1000: seconds for 1,000 essays through the CLI JSONL path vs feature extraction alone.
 * Texts are generated here (no ../shared needed). Medians of several reps.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDetector } from '../src-main/detection';
import { analyze, extractFeatures } from '../src-main/detection/features';
import { runJsonl } from '../src-main/cli/commands/detect-jsonl';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WORDS = (
  'the student argued that school should start later because teenagers need more sleep and many ' +
  'studies show that rested pupils learn better however some parents worry about buses sports and ' +
  'work schedules so the district must weigh costs against benefits in addition teachers noticed ' +
  'that first period classes were often quiet and tired while afternoon classes were lively'
).split(' ');

/** Deterministic pseudo-essay of about `n` words in paragraphs of ~120 words. */
export function syntheticEssay(n: number, seed: number): string {
  let s = seed * 2654435761 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const out: string[] = [];
  let sent: string[] = [];
  for (let i = 0; i < n; i++) {
    sent.push(WORDS[Math.floor(next() * WORDS.length)]!);
    if (sent.length > 8 + next() * 14) {
      const t = sent.join(' ');
      out.push(t[0]!.toUpperCase() + t.slice(1) + (next() < 0.2 ? ', ' + 'indeed.' : '.'));
      sent = [];
      if (out.length % 6 === 0) out.push('\n\n');
    }
  }
  return out.join(' ').replace(/ \n\n /g, '\n\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function emit(bench: string, value: number, unit: string, baselineValue: number): void {
  process.stdout.write(
    JSON.stringify({
      bench,
      value: round(value),
      unit,
      baseline: 'feature extraction alone',
      baseline_value: round(baselineValue),
      x: round(baselineValue / value),
    }) + '\n',
  );
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export async function run(): Promise<void> {
  const det = await createDetector();
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const spec = JSON.parse(readFileSync(path.join(root, 'models', 'detect', 'features.json'), 'utf8')).spec;
  // doc_1000w
  const docs = Array.from({ length: 20 }, (_, i) => syntheticEssay(1000, i + 1));
  await det.detect(docs[0]!); // warm-up
  const full: number[] = [];
  const feat: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    let t = performance.now();
    for (const d of docs) await det.detect(d);
    full.push((performance.now() - t) / docs.length);
    t = performance.now();
    for (const d of docs) extractFeatures(d, spec, analyze(d));
    feat.push((performance.now() - t) / docs.length);
  }
  emit('detect.doc_1000w', median(full), 'ms', median(feat));

  // batch_1000 through the JSONL path (streamed file in, file out).
  const dir = mkdtempSync(path.join(tmpdir(), 'pal-bench-detect-'));
  try {
    const input = path.join(dir, 'in.jsonl');
    const essays = Array.from({ length: 1000 }, (_, i) => syntheticEssay(300 + (i % 7) * 50, i + 100));
    writeFileSync(input, essays.map((text, i) => JSON.stringify({ id: `e${i}`, text })).join('\n') + '\n');
    const batch: number[] = [];
    const featB: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      let t = performance.now();
      await runJsonl(det, { input, output: path.join(dir, 'out.jsonl'), segments: true, progress: false });
      batch.push((performance.now() - t) / 1000);
      t = performance.now();
      for (const e of essays) extractFeatures(e, spec, analyze(e));
      featB.push((performance.now() - t) / 1000);
    }
    emit('detect.batch_1000', median(batch), 's', median(featB));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await det.dispose();
  }
}

if (process.argv[1] && /bench[\\/]detect\.ts$/.test(process.argv[1])) await run();
