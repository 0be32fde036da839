/**
 * The library evaluation: a fresh temporary library built from a folder through the real
 * LibraryService (the `library.add` job), every retriever run on every query, TREC metrics per
 * retriever, and the personalization gain: half the queries' judgments fed in as curation (pins
 * for relevant documents, excludes for judged non-relevant ones, through the same path as
 * `palimpsest library curate`), the other half evaluated held out; then the halves swap (two
 * folds, the log cleared in between), so every query is held out once.
 *
 * Judgments are per source file (TREC docid = the file name, as `library search --output` calls it):
 * a ranking of chunks becomes a ranking of files by each file's best chunk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../../src-main/app';
import { RETRIEVERS, type Retriever } from '../../src-main/library/common/contract';
import { applyCurationLines } from '../../src-main/library/curation/curation-lines';
import { documentRanking, meanMetrics, queryMetrics, type QueryMetrics } from './metrics';

export interface EvalQuery {
  id: string;
  query: string;
}

/** qid → docid → grade. */
export type Qrels = Map<string, Map<string, number>>;

export function parseQueries(text: string): EvalQuery[] {
  return text
    .split(/\r?\n/u)
    .map((l, i) => ({ l: l.trim(), i }))
    .filter(({ l }) => l)
    .map(({ l, i }) => {
      let v: { id?: unknown; query?: unknown };
      try {
        v = JSON.parse(l) as typeof v;
      } catch {
        throw new Error(`queries line ${i + 1}: not valid JSON`);
      }
      if ((typeof v.id !== 'string' && typeof v.id !== 'number') || typeof v.query !== 'string')
        throw new Error(`queries line ${i + 1}: needs "id" and "query"`);
      return { id: String(v.id), query: v.query };
    });
}

/** TREC qrels: `qid iter docid rel` a line, whitespace-separated. */
export function parseQrels(text: string): Qrels {
  const out: Qrels = new Map();
  text.split(/\r?\n/u).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const parts = line.split(/\s+/u);
    if (parts.length < 4 || !Number.isFinite(Number(parts[3])))
      throw new Error(`qrels line ${i + 1}: expected "qid 0 docid rel"`);
    const [qid, , doc, rel] = parts as [string, string, string, string];
    const m = out.get(qid) ?? new Map<string, number>();
    m.set(doc, Number(rel));
    out.set(qid, m);
  });
  return out;
}

export interface RetrieverScore {
  retriever: Retriever | 'hybrid+excludes' | 'personal+expansion' | 'personal-no-expansion';
  queries: number;
  metrics: QueryMetrics;
}

export interface HeldOutFold {
  trainQueries: number;
  curationApplied: number;
  curationErrors: number;
  /** Plain hybrid on the held-out half, before any curation. */
  hybrid: RetrieverScore;
  /** Hybrid after the curation went in (its excluded passages dropped from every search). */
  hybridCurated: RetrieverScore;
  personal: RetrieverScore;
  personalNoExpansion: RetrieverScore;
  /** The fitted reranker's weights (feature → weight). */
  weights: Record<string, number> | null;
}

export interface EvalReport {
  documents: number;
  chunks: number;
  /** All queries with at least one relevant judgment. */
  all: RetrieverScore[];
  /** Each fold: one half's judgments went in as curation, the other half was evaluated. */
  folds: HeldOutFold[];
  /** Both folds' held-out queries together (every query held out once). */
  heldOut: {
    hybrid: RetrieverScore;
    hybridCurated: RetrieverScore;
    personal: RetrieverScore;
    personalNoExpansion: RetrieverScore;
  };
  seconds: number;
}

/** The query-weighted mean of a retriever's held-out scores over the folds. */
function pooled(
  folds: readonly HeldOutFold[],
  key: 'hybrid' | 'hybridCurated' | 'personal' | 'personalNoExpansion',
): RetrieverScore {
  const n = folds.reduce((s, f) => s + f[key].queries, 0);
  const m = (name: keyof QueryMetrics) =>
    folds.reduce((s, f) => s + f[key].metrics[name] * f[key].queries, 0) / Math.max(1, n);
  return {
    retriever: folds[0]![key].retriever,
    queries: n,
    metrics: { ndcg10: m('ndcg10'), recall10: m('recall10'), recall100: m('recall100'), mrr10: m('mrr10') },
  };
}

async function waitForJob(app: App, jobId: string): Promise<void> {
  app.jobs.start();
  const job = await app.jobs.whenDone(jobId);
  await app.jobs.whenIdle();
  if (job.status !== 'succeeded') throw new Error(`Adding the documents ended ${job.status}: ${job.error ?? ''}`);
}

async function score(app: App, queries: readonly EvalQuery[], qrels: Qrels, retriever: Retriever, k: number) {
  const per: QueryMetrics[] = [];
  for (const q of queries) {
    const judged = qrels.get(q.id)!;
    const result = await app.library.search({ query: q.query, retriever, k, includeExcluded: false });
    per.push(queryMetrics(documentRanking(result.hits), judged));
  }
  return meanMetrics(per);
}

/**
 * Runs the whole evaluation in a temporary data folder (removed afterwards).
 * `split`: which queries train (even positions: 0, 2, …) and which are held out (odd).
 */
export async function evaluateLibrary(options: {
  docs: string;
  queries: readonly EvalQuery[];
  qrels: Qrels;
  k?: number;
  log?: (line: string) => void;
}): Promise<EvalReport> {
  const t0 = performance.now();
  const k = options.k ?? 100;
  const log = options.log ?? (() => {});
  const { createApp } = await import('../../src-main/app');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-eval-'));
  const app = createApp({ dataDir, startJobs: false });
  try {
    log(`Adding ${options.docs} …`);
    const { jobId } = app.library.add({ paths: [path.resolve(options.docs)] });
    await waitForJob(app, jobId);
    const status = app.library.status();
    log(`${status.documents} documents, ${status.chunks} chunks (dense: ${status.dense}).`);
    const judgedQueries = options.queries.filter((q) =>
      [...(options.qrels.get(q.id)?.values() ?? [])].some((r) => r > 0),
    );
    const all: RetrieverScore[] = [];
    for (const r of RETRIEVERS) {
      all.push({
        retriever: r,
        queries: judgedQueries.length,
        metrics: await score(app, judgedQueries, options.qrels, r, k),
      });
      log(`${r} done`);
    }
    // Two folds: even positions train and odd ones are held out, then the other way round.
    const folds: HeldOutFold[] = [];
    for (const parity of [0, 1]) {
      const train = judgedQueries.filter((_, i) => i % 2 === parity);
      const test = judgedQueries.filter((_, i) => i % 2 !== parity);
      app.libraryCuration.log.clear();
      const hybrid = await score(app, test, options.qrels, 'hybrid', k);
      const lines: string[] = [];
      for (const q of train)
        for (const [doc, rel] of options.qrels.get(q.id)!)
          lines.push(JSON.stringify({ query: q.query, doc, action: rel > 0 ? 'pin' : 'exclude' }));
      const curated = await applyCurationLines(app.libraryCuration, lines);
      log(
        `Fold ${parity + 1}: curation from ${train.length} queries, ${curated.applied} events (${curated.errors.length} skipped).`,
      );
      // Excludes are global: the training half's excluded passages are gone from every search now.
      const hybridCurated = await score(app, test, options.qrels, 'hybrid', k);
      app.libraryCuration.setPersonalization({ enabled: true, queryExpansion: true });
      const personal = await score(app, test, options.qrels, 'personal', k);
      app.libraryCuration.setPersonalization({ enabled: true, queryExpansion: false });
      const personalNoExpansion = await score(app, test, options.qrels, 'personal', k);
      app.libraryCuration.setPersonalization({ enabled: true, queryExpansion: true });
      const weights = (await app.libraryCuration.personalization()).model?.weights ?? null;
      folds.push({
        trainQueries: train.length,
        curationApplied: curated.applied,
        curationErrors: curated.errors.length,
        hybrid: { retriever: 'hybrid', queries: test.length, metrics: hybrid },
        hybridCurated: { retriever: 'hybrid+excludes', queries: test.length, metrics: hybridCurated },
        personal: { retriever: 'personal+expansion', queries: test.length, metrics: personal },
        personalNoExpansion: { retriever: 'personal-no-expansion', queries: test.length, metrics: personalNoExpansion },
        weights,
      });
    }
    return {
      documents: status.documents,
      chunks: status.chunks,
      all,
      folds,
      heldOut: {
        hybrid: pooled(folds, 'hybrid'),
        hybridCurated: pooled(folds, 'hybridCurated'),
        personal: pooled(folds, 'personal'),
        personalNoExpansion: pooled(folds, 'personalNoExpansion'),
      },
      seconds: Math.round((performance.now() - t0) / 100) / 10,
    };
  } finally {
    await app.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
