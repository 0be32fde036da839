/**
 * npx tsx scripts/detect/operating-points.ts [--no-write]
 *
 * Leave-one-source-out on ../shared for the shipped candidate (features.json `candidate`), scoring
 * every held-out document AND its segments with the fold's model, then:
 * 1. operating points: strict (every human source ≤ 1 % flagged, today's threshold) and standard
 *    (STANDARD_RULE), each with false-positive and catch rates measured out-of-source (nested: the
 *    held-out source's thresholds come from the other sources' scores only);
 * 2. score distributions by length bucket ("human texts of this length score this high N % of the
 *    time"), from the out-of-source scores under the shipped calibration;
 * 3. mixed documents (seqxgpt-continuation, coauthor-gpt3-cowriting, llmdetect-variable-extension):
 *    boundary error in words and role macro-F1 with the shipped structure rule
 *    (src-main/detection/common/structure.ts).
 * Writes models/detect/operating-points.json and merges the operating points + distributions into
 * models/detect/features.json (run it again after `npm run train:detect`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sigmoid, thresholdForFpr } from '../../src-main/detection/calibration';
import { analyze, type FeatureSpec } from '../../src-main/detection/features';
import type { DetectorManifest } from '../../src-main/detection/manifest';
import { segmentText } from '../../src-main/detection/segments';
import { MIN_WORDS } from '../../src-main/detection/detector';
import type { OperatingPointRates, ScoreDistribution } from '../../src-main/detection/common/bands';
import { documentStructure, roleFromStructure } from '../../src-main/detection/common/structure';
import { segmentLogit, structureLevel } from '../../src-main/detection/segment-scores';
import { decideRole } from '../../src-main/detection/verdict';
import { humanSpanRecords, loadAll, REPO_ROOT, type Record_ } from './data';
import { loadExtraHuman } from './extra-human';
import { DEFAULT_TRAIN } from './linear';
import { auroc, roleReport } from './metrics';
import { featurize, scoreRows, trainHeads, type Scored } from './pipeline';
import { calibWeights, calibratesWith, CANDIDATES, fitCalibration, usableForTraining } from './train';

const MIXED = ['seqxgpt-continuation', 'coauthor-gpt3-cowriting', 'llmdetect-variable-extension'];
/**
 * The standard operating point: the threshold at which 1 % of human texts are flagged with every
 * human source weighted equally (the pooled 1 % point), instead of 1 % in the worst source.
 */
const STANDARD_FPR = 0.01;
/** The inconclusive band under the standard point starts where 5 % of human texts (balanced) score. */
const STANDARD_FLOOR_FPR = 0.05;
const LENGTH_BUCKETS: [number, number | null][] = [
  [MIN_WORDS, 150],
  [150, 300],
  [300, 600],
  [600, null],
];
const GRID = Array.from({ length: 101 }, (_, i) => i / 100);

const dir = path.join(REPO_ROOT, 'models', 'detect');
const manifestPath = path.join(dir, 'features.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as DetectorManifest;
const cand = CANDIDATES.find((c) => c.name === manifest.candidate);
if (!cand) throw new Error(`candidate ${manifest.candidate} is not in train.ts`);

const t0 = Date.now();
const base = loadAll();
const records: Record_[] = [...base, ...humanSpanRecords(base), ...loadExtraHuman()];
const words = records.map((r) => analyze(r.text).wordCount);
const spec: FeatureSpec = { version: 1, ...cand.spec, styleMean: [], styleStd: [] };
const fz = featurize(records, spec);
// Segments of every English original document (what the detector highlights).
const segOwner: number[] = [];
const segWords: number[] = [];
const segRecs: Record_[] = [];
const segsOf = new Map<number, number[]>();
records.forEach((r, i) => {
  if (r.lang !== 'en' || r.derived || words[i]! < MIN_WORDS) return;
  const spans = segmentText(r.text);
  if (spans.length < 2) return;
  const ids: number[] = [];
  for (const s of spans) {
    ids.push(segRecs.length);
    segRecs.push({ ...r, text: r.text.slice(s.start, s.end) });
    segOwner.push(i);
    segWords.push(s.words);
  }
  segsOf.set(i, ids);
});
const segFz = featurize(segRecs, spec);
process.stderr.write(
  `${records.length} records, ${segRecs.length} segments: ${((Date.now() - t0) / 1000).toFixed(0)}s\n`,
);

const groups = [...new Set(records.map((r) => r.group))].sort();
const oof: Scored[] = new Array(records.length);
const segOof: Scored[] = new Array(segRecs.length);
for (const g of groups) {
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  records.forEach((r, i) => {
    if (r.group === g) testIdx.push(i);
    else if (usableForTraining(r, cand)) trainIdx.push(i);
  });
  const heads = trainHeads(records, fz, trainIdx, spec, { ...DEFAULT_TRAIN, ...cand.train }, cand.heads);
  scoreRows(heads, fz, testIdx).forEach((s, k) => (oof[testIdx[k]!] = s));
  const segIdx = segRecs.map((_, j) => j).filter((j) => records[segOwner[j]!]!.group === g);
  scoreRows(heads, segFz, segIdx).forEach((s, k) => (segOof[segIdx[k]!] = s));
}
process.stderr.write(`LOSO done: ${((Date.now() - t0) / 1000).toFixed(0)}s\n`);

const isEn = (i: number): boolean => records[i]!.lang === 'en' && calibratesWith(records[i]!, cand);
const scored = (i: number): boolean => isEn(i) && words[i]! >= MIN_WORDS;

/** Thresholds for the three band edges from calibrated human scores of several sources. */
function thresholds(idx: readonly number[], platt: { a: number; b: number }, strict: number) {
  const recs = idx.map((i) => records[i]!);
  const w = calibWeights(recs);
  const hs: number[] = [];
  const hw: number[] = [];
  idx.forEach((i, k) => {
    if (records[i]!.role !== 0) return;
    hs.push(sigmoid(platt.a * oof[i]!.aiLogit + platt.b));
    hw.push(w[k]!);
  });
  const standard = Math.min(strict, thresholdForFpr(hs, STANDARD_FPR, hw));
  const floor = Math.min(standard, thresholdForFpr(hs, STANDARD_FLOOR_FPR, hw));
  return { strict, standard, floor };
}

// 1. Nested per held-out source.
interface SourceRow {
  group: string;
  nHuman: number;
  nLlm: number;
  strict: { threshold: number; humanFlagged: number | null; llmCaught: number | null };
  standard: { threshold: number; humanFlagged: number | null; llmCaught: number | null };
  auroc: number | null;
}
const perSource: SourceRow[] = [];
const nested = new Map<string, { platt: { a: number; b: number }; strict: number; standard: number; floor: number }>();
for (const g of groups) {
  const inIdx = records.map((_, i) => i).filter((i) => records[i]!.group === g && scored(i));
  if (inIdx.length === 0) continue;
  const cal = records.map((_, i) => i).filter((i) => records[i]!.group !== g && isEn(i));
  const fit = fitCalibration(
    cal.map((i) => records[i]!),
    cal.map((i) => oof[i]!),
    'worst',
  );
  const th = thresholds(cal, fit.platt, fit.threshold);
  nested.set(g, { platt: fit.platt, ...th });
  const p = (i: number): number => sigmoid(fit.platt.a * oof[i]!.aiLogit + fit.platt.b);
  const hum = inIdx.filter((i) => records[i]!.role === 0);
  const llm = inIdx.filter((i) => records[i]!.role !== 0);
  const rate = (ix: number[], t: number): number | null =>
    ix.length ? ix.filter((i) => p(i) >= t).length / ix.length : null;
  perSource.push({
    group: g,
    nHuman: hum.length,
    nLlm: llm.length,
    strict: { threshold: th.strict, humanFlagged: rate(hum, th.strict), llmCaught: rate(llm, th.strict) },
    standard: { threshold: th.standard, humanFlagged: rate(hum, th.standard), llmCaught: rate(llm, th.standard) },
    auroc:
      hum.length && llm.length
        ? auroc(
            inIdx.map((i) => oof[i]!.aiLogit),
            inIdx.map((i) => (records[i]!.role ? 1 : 0)),
          )
        : null,
  });
}
const mean = (xs: (number | null)[]): number => {
  const f = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
};
const rates = (k: 'strict' | 'standard'): Omit<OperatingPointRates, 'threshold'> => ({
  humanFlagged: mean(perSource.map((s) => s[k].humanFlagged)),
  worstHumanFlagged: Math.max(...perSource.map((s) => s[k].humanFlagged ?? 0)),
  llmCaught: mean(perSource.map((s) => s[k].llmCaught)),
});

// 2. Shipped thresholds and distributions (shipped calibration on out-of-source scores).
const platt = manifest.calibration.platt;
const enIdx = records.map((_, i) => i).filter(isEn);
const shipped = thresholds(enIdx, platt, manifest.calibration.threshold);
const distIdx = enIdx.filter(scored);
const dist: ScoreDistribution = {
  grid: GRID,
  buckets: LENGTH_BUCKETS.map(([lo, hi]) => {
    const inB = distIdx.filter((i) => words[i]! >= lo && (hi === null || words[i]! < hi));
    const share = (human: boolean): number[] => {
      const ix = inB.filter((i) => (records[i]!.role === 0) === human);
      const n = new Map<string, number>();
      for (const i of ix) n.set(records[i]!.group, (n.get(records[i]!.group) ?? 0) + 1);
      const total = n.size;
      const ps = ix.map((i) => ({
        p: sigmoid(platt.a * oof[i]!.aiLogit + platt.b),
        w: 1 / n.get(records[i]!.group)! / total,
      }));
      return GRID.map((t) => Math.round(ps.reduce((a, x) => a + (x.p >= t ? x.w : 0), 0) * 10000) / 10000);
    };
    return {
      minWords: lo,
      maxWords: hi,
      human: share(true),
      llm: share(false),
      nHuman: inB.filter((i) => records[i]!.role === 0).length,
      nLlm: inB.filter((i) => records[i]!.role !== 0).length,
    };
  }),
};

// 3. Structure-based roles and boundaries, nested thresholds per held-out source.
const wordsBefore = (text: string, at: number): number => analyze(text.slice(0, at)).wordCount;
function evalRoles(point: 'strict' | 'standard', useStructure: boolean, only?: string[]) {
  const truth: number[] = [];
  const pred: number[] = [];
  for (const g of groups) {
    if (only && !only.includes(g)) continue;
    const ns = nested.get(g);
    if (!ns) continue;
    for (const i of records.keys()) {
      const r = records[i]!;
      if (r.group !== g || !scored(i) || r.derived) continue;
      const docLogit = ns.platt.a * oof[i]!.aiLogit + ns.platt.b;
      const p = sigmoid(docLogit);
      const flag = point === 'strict' ? ns.strict : ns.standard;
      let role = 0;
      if (p >= flag) {
        const segs = segsOf.get(i);
        if (!useStructure || !segs) role = decideRole(oof[i]!.roleProbs, p, flag);
        else {
          const ev = segs.map((j) => ({
            words: segWords[j]!,
            logit: segmentLogit(ns.platt, segOof[j]!.aiLogit, segWords[j]!, docLogit),
          }));
          role = roleFromStructure(documentStructure(ev, structureLevel()).kind, oof[i]!.roleProbs);
        }
      }
      truth.push(r.role);
      pred.push(role);
    }
  }
  const rr = roleReport(truth, pred);
  return {
    macroF1: rr.macroF1,
    perClass: Object.fromEntries(Object.entries(rr.perClass).map(([k, v]) => [k, v.f1])),
    n: truth.length,
  };
}

function boundaries() {
  const out: Record<string, unknown> = {};
  for (const g of MIXED) {
    const ns = nested.get(g);
    if (!ns) continue;
    const errs: number[] = [];
    const midErrs: number[] = [];
    let withTruth = 0;
    let found = 0;
    let humanDocs = 0;
    let falseBoundary = 0;
    const hasB: number[] = [];
    const ys: number[] = [];
    for (const i of records.keys()) {
      const r = records[i]!;
      if (r.group !== g || !scored(i) || r.derived) continue;
      const segs = segsOf.get(i);
      if (!segs) continue;
      const docLogit = ns.platt.a * oof[i]!.aiLogit + ns.platt.b;
      const ev = segs.map((j) => ({
        words: segWords[j]!,
        logit: segmentLogit(ns.platt, segOof[j]!.aiLogit, segWords[j]!, docLogit),
      }));
      const st = documentStructure(ev, structureLevel());
      hasB.push(st.kind === 'uniform' ? 0 : 1);
      ys.push(r.role === 0 ? 0 : 1);
      if (r.role === 0) {
        humanDocs++;
        if (st.kind !== 'uniform') falseBoundary++;
        continue;
      }
      // The true (first) human → LLM boundary, in words from the start.
      let truthW: number | null = null;
      const firstLlm = r.spans?.find((s) => s[2] !== 'human');
      if (firstLlm && firstLlm[0] > 0) truthW = wordsBefore(r.text, firstLlm[0]);
      else if (!r.spans && Number.isFinite(r.involvement)) truthW = Math.round((1 - r.involvement) * words[i]!);
      if (truthW === null) continue;
      withTruth++;
      midErrs.push(Math.abs(words[i]! / 2 - truthW));
      if (st.firstLlm === null) continue;
      found++;
      const predW = segs.slice(0, st.firstLlm).reduce((a, j) => a + segWords[j]!, 0);
      errs.push(Math.abs(predW - truthW));
    }
    const med = (xs: number[]): number | null => {
      if (!xs.length) return null;
      const s = [...xs].sort((a, b) => a - b);
      return s[Math.floor(s.length / 2)]!;
    };
    out[g] = {
      docsWithTrueBoundary: withTruth,
      boundaryFound: found,
      medianBoundaryErrorWords: med(errs),
      meanBoundaryErrorWords: errs.length ? errs.reduce((a, b) => a + b, 0) / errs.length : null,
      baselineMiddleMedianErrorWords: med(midErrs),
      humanDocs,
      humanDocsWithFalseBoundary: falseBoundary,
      boundaryAuroc: auroc(hasB, ys),
    };
  }
  return out;
}

// DUMP_EVIDENCE=file.json: per-document segment evidence of the mixed sources, for tuning structure.ts.
if (process.env['DUMP_EVIDENCE']) {
  const dump = [];
  for (const i of records.keys()) {
    const r = records[i]!;
    const ns = nested.get(r.group);
    const segs = segsOf.get(i);
    if (!MIXED.includes(r.group) || !ns || !segs || r.derived || !scored(i)) continue;
    const docLogit = ns.platt.a * oof[i]!.aiLogit + ns.platt.b;
    const firstLlm = r.spans?.find((s) => s[2] !== 'human');
    const truthW =
      firstLlm && firstLlm[0] > 0
        ? wordsBefore(r.text, firstLlm[0])
        : !r.spans && Number.isFinite(r.involvement)
          ? Math.round((1 - r.involvement) * words[i]!)
          : null;
    dump.push({
      g: r.group,
      role: r.role,
      truthW,
      docLogit,
      flag: ns.strict,
      std: ns.standard,
      segs: segs.map((j) => ({
        words: segWords[j]!,
        logit: segmentLogit(ns.platt, segOof[j]!.aiLogit, segWords[j]!, docLogit),
        raw: ns.platt.a * segOof[j]!.aiLogit + ns.platt.b,
      })),
    });
  }
  writeFileSync(process.env['DUMP_EVIDENCE'], JSON.stringify(dump));
}

const report = {
  generatedAt: new Date().toISOString(),
  candidate: manifest.candidate,
  rules: {
    strict: 'every held-out human source ≤ 1 % flagged (highest per-source 1 % threshold)',
    standard: `${STANDARD_FPR * 100} % of human texts flagged, every human source weighted equally`,
    standardFloor: `${STANDARD_FLOOR_FPR * 100} % of human texts (balanced) score at or above the floor of the inconclusive band under standard`,
  },
  shipped,
  operatingPoints: {
    strict: { threshold: shipped.strict, ...rates('strict') },
    standard: { threshold: shipped.standard, ...rates('standard') },
  },
  perSource,
  roles: {
    strict: { structure: evalRoles('strict', true), roleHead: evalRoles('strict', false) },
    standard: { structure: evalRoles('standard', true), roleHead: evalRoles('standard', false) },
    mixedSourcesStrict: { structure: evalRoles('strict', true, MIXED), roleHead: evalRoles('strict', false, MIXED) },
    mixedSourcesStandard: {
      structure: evalRoles('standard', true, MIXED),
      roleHead: evalRoles('standard', false, MIXED),
    },
    essaysStandard: { structure: evalRoles('standard', true, ['outfox-student-essays', 'coauthor-gpt3-cowriting']) },
  },
  boundaries: boundaries(),
  scoreDistribution: dist,
  seconds: (Date.now() - t0) / 1000,
};
console.log(JSON.stringify({ ...report, scoreDistribution: undefined }, null, 1));
if (!process.argv.includes('--no-write')) {
  writeFileSync(path.join(dir, 'operating-points.json'), JSON.stringify(report, null, 1) + '\n');
  const m: DetectorManifest = {
    ...manifest,
    operatingPoints: report.operatingPoints,
    inconclusiveFloor: { strict: shipped.standard, standard: shipped.floor },
    scoreDistribution: dist,
  };
  writeFileSync(manifestPath, JSON.stringify(m));
}
