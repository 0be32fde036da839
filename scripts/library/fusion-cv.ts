/**
 * `npx tsx scripts/library/fusion-cv.ts [--docs DIR --queries Q.jsonl --qrels QRELS.tsv] [--folds 5]`
 * How the hybrid default was chosen: BM25 and dense (LSA) top-100 lists are read once per query
 * through the real library, then every fusion setting on a grid (RRF with a BM25 weight, or a
 * convex combination with a dense share α) is scored offline. K-fold cross-validation over the
 * queries: the setting with the best mean nDCG@10 on the other folds is scored on the held-out
 * fold, so the pooled number is one no setting was tuned on. Prints each fold's choice and score.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../../src-main/app';
import { convexFusion, reciprocalRankFusion, type Ranked } from '../../src-main/library/retrieval/fusion';
import { parseQrels, parseQueries, type EvalQuery, type Qrels } from './evaluate';
import { meanMetrics, queryMetrics, type QueryMetrics } from './metrics';

export interface FusionSetting {
  fusion: 'rrf' | 'convex';
  /** RRF: the BM25 weight (dense 1); convex: the dense share α (BM25 1 − α). */
  value: number;
}

export const FUSION_GRID: FusionSetting[] = [
  ...[0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4].map((value) => ({ fusion: 'rrf' as const, value })),
  ...Array.from({ length: 21 }, (_, i) => ({ fusion: 'convex' as const, value: i / 20 })),
];

export interface QueryLists {
  query: EvalQuery;
  bm25: Ranked[];
  dense: Ranked[];
  /** Chunk id → source file name (the judged docid). */
  docOf: Map<number, string>;
}

export function fuse(q: QueryLists, s: FusionSetting): Ranked[] {
  return s.fusion === 'rrf'
    ? reciprocalRankFusion([
        { weight: s.value, ranked: q.bm25 },
        { weight: 1, ranked: q.dense },
      ])
    : convexFusion([
        { weight: 1 - s.value, ranked: q.bm25 },
        { weight: s.value, ranked: q.dense },
      ]);
}

export function scoreSetting(lists: readonly QueryLists[], qrels: Qrels, s: FusionSetting): QueryMetrics {
  return meanMetrics(lists.map((q) => metricsOf(q, fuse(q, s), qrels)));
}

function metricsOf(q: QueryLists, ranked: readonly Ranked[], qrels: Qrels): QueryMetrics {
  const seen = new Set<string>();
  const docs: string[] = [];
  for (const r of ranked) {
    const d = q.docOf.get(r.id);
    if (d === undefined || seen.has(d)) continue;
    seen.add(d);
    docs.push(d);
  }
  return queryMetrics(docs, qrels.get(q.query.id)!);
}

export interface FoldResult {
  fold: number;
  chosen: FusionSetting;
  trainNdcg: number;
  test: QueryMetrics;
  testBm25: QueryMetrics;
  queries: number;
}

/** K folds by query position (i mod K); ties between settings go to the earlier grid entry. */
export function crossValidate(lists: readonly QueryLists[], qrels: Qrels, k: number, grid = FUSION_GRID) {
  const folds: FoldResult[] = [];
  for (let f = 0; f < k; f++) {
    const train = lists.filter((_, i) => i % k !== f);
    const test = lists.filter((_, i) => i % k === f);
    let best = grid[0]!;
    let bestScore = -1;
    for (const s of grid) {
      const v = scoreSetting(train, qrels, s).ndcg10;
      if (v <= bestScore + 1e-12) continue;
      best = s;
      bestScore = v;
    }
    folds.push({
      fold: f + 1,
      chosen: best,
      trainNdcg: bestScore,
      test: scoreSetting(test, qrels, best),
      testBm25: meanMetrics(test.map((q) => metricsOf(q, q.bm25, qrels))),
      queries: test.length,
    });
  }
  const pool = (pick: (f: FoldResult) => QueryMetrics): QueryMetrics => {
    const n = folds.reduce((s, f) => s + f.queries, 0);
    const m = (key: keyof QueryMetrics) => folds.reduce((s, f) => s + pick(f)[key] * f.queries, 0) / n;
    return { ndcg10: m('ndcg10'), recall10: m('recall10'), recall100: m('recall100'), mrr10: m('mrr10') };
  };
  return { folds, pooled: pool((f) => f.test), pooledBm25: pool((f) => f.testBm25) };
}

/**
 * Reads each query's BM25 and dense top `depth` through a fresh temporary library built from `docs`
 * (200: what a search for k = 100, as eval:library runs, fuses).
 */
export async function collectLists(docs: string, queries: readonly EvalQuery[], depth = 200): Promise<QueryLists[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-fusion-cv-'));
  const app = createApp({ dataDir, startJobs: false });
  try {
    const { jobId } = app.library.add({ paths: [path.resolve(docs)] });
    app.jobs.start();
    const job = await app.jobs.whenDone(jobId);
    await app.jobs.whenIdle();
    if (job.status !== 'succeeded') throw new Error(`Adding the documents ended ${job.status}: ${job.error ?? ''}`);
    const out: QueryLists[] = [];
    for (const query of queries) {
      const { bm25, dense } = await app.library.retrieverLists(query.query, depth);
      const ids = [...new Set([...bm25, ...dense].map((r) => r.id))];
      const rows = app.library.store.chunks(ids);
      const docOf = new Map(ids.map((id) => [id, rows.get(id)!.file_name] as const));
      out.push({ query, bm25, dense, docOf });
    }
    return out;
  } finally {
    await app.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const label = (s: FusionSetting) => (s.fusion === 'rrf' ? `rrf bm25:dense=${s.value}:1` : `convex α(dense)=${s.value}`);

async function main(): Promise<number> {
  const shipped = path.resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'library-eval', 'sotu');
  const args = parseArgs({
    options: {
      docs: { type: 'string', default: path.join(shipped, 'docs') },
      queries: { type: 'string', default: path.join(shipped, 'queries.jsonl') },
      qrels: { type: 'string', default: path.join(shipped, 'qrels.tsv') },
      folds: { type: 'string', default: '5' },
    },
  }).values;
  const k = Number(args.folds);
  if (!Number.isInteger(k) || k < 2 || k > 100) {
    process.stderr.write('--folds must be a whole number from 2 to 100\n');
    return 2;
  }
  const qrels = parseQrels(fs.readFileSync(args.qrels, 'utf8'));
  const queries = parseQueries(fs.readFileSync(args.queries, 'utf8')).filter((q) =>
    [...(qrels.get(q.id)?.values() ?? [])].some((r) => r > 0),
  );
  const lists = await collectLists(args.docs, queries);
  const f3 = (x: number) => x.toFixed(3);
  process.stdout.write(
    `Every setting on all ${lists.length} queries (for reading only; nothing is chosen on these):\n`,
  );
  for (const s of FUSION_GRID) {
    const m = scoreSetting(lists, qrels, s);
    process.stdout.write(
      `  ${label(s).padEnd(26)} nDCG@10 ${f3(m.ndcg10)}  R@10 ${f3(m.recall10)}  R@100 ${f3(m.recall100)}  MRR@10 ${f3(m.mrr10)}\n`,
    );
  }
  const cv = crossValidate(lists, qrels, k);
  process.stdout.write(`\n${k}-fold cross-validation (chosen on the other folds, scored on this one):\n`);
  for (const f of cv.folds)
    process.stdout.write(
      `  fold ${f.fold} (${f.queries} queries): ${label(f.chosen).padEnd(26)} train ${f3(f.trainNdcg)}  test nDCG@10 ${f3(f.test.ndcg10)} (BM25 ${f3(f.testBm25.ndcg10)})\n`,
    );
  process.stdout.write(
    `  pooled held-out nDCG@10 ${f3(cv.pooled.ndcg10)} R@10 ${f3(cv.pooled.recall10)} R@100 ${f3(cv.pooled.recall100)} MRR@10 ${f3(cv.pooled.mrr10)}; BM25 ${f3(cv.pooledBm25.ndcg10)}\n`,
  );
  process.stdout.write(JSON.stringify({ eval: 'library-fusion-cv', folds: cv.folds, pooled: cv.pooled }) + '\n');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename))
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${(e as Error)?.message ?? String(e)}\n`);
      process.exit(1);
    },
  );
