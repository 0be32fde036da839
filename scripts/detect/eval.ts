/**
 * npm run eval:detect -- --data FILE.jsonl [--profile P.json] [--models DIR] [--json OUT.json]
 *
 * Measures the shipped detector (models/detect) on a labelled JSONL file in the shared schema
 * (fields: text, role in human|polished|extended|generated, optional involvement). Prints role
 * macro-F1 / per-class F1 / confusion matrix, involvement MAE / MSE / Spearman, AI-likelihood
 * AUROC / TPR at 1% FPR / FPR and TPR at the active threshold, and a reliability table.
 * Abstained texts count as `human` verdicts, exactly as the CLI reports them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createDetector,
  isCalibrationProfile,
  type CalibrationProfile,
  type DetectionResult,
} from '../../src-main/detection';
import { loadJsonl } from './data';
import { auroc, fmt, mae, mse, reliability, roleReport, ROLES, spearman, tprAtFpr } from './metrics';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const file = arg('--data');
  if (!file) {
    process.stderr.write(
      'usage: npm run eval:detect -- --data FILE.jsonl [--profile P.json] [--models DIR] [--json OUT.json]\n',
    );
    process.exitCode = 2;
    return;
  }
  const recs = loadJsonl(file);
  if (recs.length === 0) throw new Error(`no labelled records in ${file}`);
  let profile: CalibrationProfile | undefined;
  const pf = arg('--profile');
  if (pf) {
    const p: unknown = JSON.parse(readFileSync(pf, 'utf8'));
    if (!isCalibrationProfile(p)) throw new Error(`${pf} is not a calibration profile`);
    profile = p;
  }
  const models = arg('--models');
  const det = await createDetector(models ? { modelsDir: models } : {});
  const t0 = Date.now();
  const results: (DetectionResult | null)[] = [];
  const B = 64;
  for (let i = 0; i < recs.length; i += B) {
    const out = await det.detectMany(
      recs.slice(i, i + B).map((r) => r.text),
      { profile, segments: false },
    );
    for (const o of out) results.push('code' in o ? null : (o as DetectionResult));
    process.stderr.write(`\r${Math.min(recs.length, i + B)}/${recs.length}`);
  }
  process.stderr.write('\n');
  const secs = (Date.now() - t0) / 1000;
  const ok = recs
    .map((r, i) => ({ r, d: results[i] }))
    .filter((x): x is { r: (typeof recs)[number]; d: DetectionResult } => x.d !== null);
  const errors = recs.length - ok.length;
  const threshold = profile?.threshold ?? det.defaults.threshold;
  await det.dispose();

  const truth = ok.map((x) => x.r.role);
  const pred = ok.map((x) => ROLES.indexOf(x.d.role));
  const rr = roleReport(truth, pred);
  const y = ok.map((x) => (x.r.role === 0 ? 0 : 1));
  const p = ok.map((x) => x.d.ai_probability);
  const humans = ok.filter((x) => x.r.role === 0);
  const fpr = humans.length ? humans.filter((x) => x.d.role !== 'human').length / humans.length : NaN;
  const ais = ok.filter((x) => x.r.role !== 0);
  const tpr = ais.length ? ais.filter((x) => x.d.role !== 'human').length / ais.length : NaN;
  const inv = ok.filter((x) => Number.isFinite(x.r.involvement));
  const it = inv.map((x) => x.r.involvement);
  const ip = inv.map((x) => x.d.involvement);
  const rel = reliability(p, y);
  const abstained = ok.filter((x) => x.d.abstained).length;

  console.log(
    `data: ${file}  records ${recs.length}  scored ${ok.length}  errors ${errors}  abstained ${abstained}  (${secs.toFixed(1)}s)`,
  );
  console.log(`threshold ${fmt(threshold, 4)}${profile ? ' (profile)' : ' (default)'}`);
  console.log('\n## Role recognition');
  console.log(`macro-F1 ${fmt(rr.macroF1)}  accuracy ${fmt(rr.accuracy)}`);
  for (const [k, v] of Object.entries(rr.perClass))
    console.log(`  ${k.padEnd(10)} F1 ${fmt(v.f1)}  P ${fmt(v.precision)}  R ${fmt(v.recall)}  n ${v.support}`);
  console.log('confusion (rows = truth, cols = predicted):');
  console.log(`  ${''.padEnd(10)}${ROLES.map((r) => r.padStart(10)).join('')}`);
  rr.confusion.forEach((row, i) =>
    console.log(`  ${ROLES[i]!.padEnd(10)}${row.map((c) => String(c).padStart(10)).join('')}`),
  );
  console.log('\n## Involvement');
  console.log(`MAE ${fmt(mae(it, ip))}  MSE ${fmt(mse(it, ip))}  Spearman ${fmt(spearman(it, ip))}  n ${it.length}`);
  console.log('\n## AI-likelihood (any LLM involvement vs human)');
  console.log(
    `AUROC ${fmt(auroc(p, y))}  TPR@1%FPR ${fmt(tprAtFpr(p, y, 0.01))}  FPR@threshold ${fmt(fpr)} (n human ${humans.length})  TPR@threshold ${fmt(tpr)}`,
  );
  console.log('\n## Reliability (calibration)');
  console.log(`ECE ${fmt(rel.ece)}`);
  console.log('  bin          n   mean p   observed');
  for (const b of rel.bins)
    console.log(
      `  ${b.lo.toFixed(1)}-${b.hi.toFixed(1)}  ${String(b.n).padStart(6)}  ${fmt(b.meanPredicted)}    ${fmt(b.observedRate)}`,
    );
  // Segment highlighting, where the file has per-character authorship spans (CoAuthor, SeqXGPT).
  const withSpans = recs.filter((r) => r.spans && r.spans.length > 0).slice(0, Number(arg('--max-span-docs') ?? 400));
  let segAuroc = NaN;
  if (withSpans.length) {
    const det2 = await createDetector(models ? { modelsDir: models } : {});
    const sp: number[] = [];
    const sy: number[] = [];
    for (const r of withSpans) {
      const d = await det2.detect(r.text, { profile }).catch(() => null);
      if (!d || d.abstained || d.segments.length < 2) continue;
      for (const seg of d.segments) {
        let llm = 0;
        for (const [a, b, who] of r.spans!)
          if (who === 'llm') llm += Math.max(0, Math.min(b, seg.end) - Math.max(a, seg.start));
        sy.push(llm / Math.max(1, seg.end - seg.start) > 0.5 ? 1 : 0);
        sp.push(seg.ai_probability);
      }
    }
    await det2.dispose();
    segAuroc = auroc(sp, sy);
    console.log('\n## Segments (documents with authorship spans)');
    console.log(
      `segments ${sp.length} from ${withSpans.length} docs, LLM-majority ${sy.filter((v) => v === 1).length}; segment AUROC ${fmt(segAuroc)}`,
    );
  }
  const jsonOut = arg('--json');
  if (jsonOut) {
    writeFileSync(
      jsonOut,
      JSON.stringify(
        {
          file,
          n: recs.length,
          errors,
          abstained,
          threshold,
          role: rr,
          involvement: { mae: mae(it, ip), mse: mse(it, ip), spearman: spearman(it, ip) },
          ai: { auroc: auroc(p, y), tprAt1: tprAtFpr(p, y, 0.01), fpr, tpr },
          segments: { auroc: segAuroc },
          reliability: rel,
        },
        null,
        1,
      ),
    );
  }
}

await main();
