/**
 * `npm run eval:library -- --docs DIR --queries Q.jsonl --qrels QRELS.tsv [--k 100]`
 * Prints nDCG@10, Recall@10, Recall@100 and MRR@10 per retriever (a table, then one JSON line
 * each) and the personalization gain on the held-out half (see evaluate.ts). Without arguments it
 * runs the shipped set, test/fixtures/library-eval/sotu/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateLibrary, parseQrels, parseQueries, type RetrieverScore } from './evaluate';

const shipped = path.resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'library-eval', 'sotu');

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        docs: { type: 'string', default: path.join(shipped, 'docs') },
        queries: { type: 'string', default: path.join(shipped, 'queries.jsonl') },
        qrels: { type: 'string', default: path.join(shipped, 'qrels.tsv') },
        k: { type: 'string', default: '100' },
      },
    }).values;
  } catch (e) {
    process.stderr.write(
      `${(e as Error).message}\nusage: npm run eval:library -- --docs DIR --queries Q.jsonl --qrels QRELS.tsv [--k 100]\n`,
    );
    return 2;
  }
  const k = Number(args.k);
  if (!Number.isInteger(k) || k < 10 || k > 1000) {
    process.stderr.write('--k must be a whole number from 10 to 1000\n');
    return 2;
  }
  for (const f of [args.docs, args.queries, args.qrels])
    if (!fs.existsSync(f)) {
      process.stderr.write(`not found: ${f}\n`);
      return 2;
    }
  const report = await evaluateLibrary({
    docs: args.docs,
    queries: parseQueries(fs.readFileSync(args.queries, 'utf8')),
    qrels: parseQrels(fs.readFileSync(args.qrels, 'utf8')),
    k,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const table = (title: string, rows: RetrieverScore[]) => {
    process.stdout.write(`\n${title}\n`);
    process.stdout.write(
      `${'retriever'.padEnd(24)}${'nDCG@10'.padStart(9)}${'R@10'.padStart(8)}${'R@100'.padStart(8)}${'MRR@10'.padStart(9)}  queries\n`,
    );
    for (const r of rows)
      process.stdout.write(
        `${r.retriever.padEnd(24)}${f(r.metrics.ndcg10).padStart(9)}${f(r.metrics.recall10).padStart(8)}${f(r.metrics.recall100).padStart(8)}${f(r.metrics.mrr10).padStart(9)}  ${r.queries}\n`,
      );
  };
  const h = report.heldOut;
  table(
    `All queries (${report.documents} documents, ${report.chunks} chunks; personal has no curation yet):`,
    report.all,
  );
  report.folds.forEach((fold, i) =>
    table(
      `Fold ${i + 1}: held-out half, after the other ${fold.trainQueries} queries' judgments went in as curation (${fold.curationApplied} events):`,
      [fold.hybrid, fold.hybridCurated, fold.personal, fold.personalNoExpansion],
    ),
  );
  table('Both folds (every query held out once):', [h.hybrid, h.hybridCurated, h.personal, h.personalNoExpansion]);
  const gain = h.personal.metrics.ndcg10 - h.hybrid.metrics.ndcg10;
  const gainNoX = h.personalNoExpansion.metrics.ndcg10 - h.hybrid.metrics.ndcg10;
  process.stdout.write(
    `\nPersonalization gain over plain hybrid (nDCG@10, held out): ${sign(gain)} with query expansion, ${sign(gainNoX)} without\n\n`,
  );
  for (const r of report.all) process.stdout.write(JSON.stringify({ eval: 'library', set: 'all', ...flat(r) }) + '\n');
  for (const r of [h.hybrid, h.hybridCurated, h.personal, h.personalNoExpansion])
    process.stdout.write(JSON.stringify({ eval: 'library', set: 'held-out', ...flat(r) }) + '\n');
  if (process.env.PALIMPSEST_EVAL_WEIGHTS)
    report.folds.forEach((fold, i) => process.stderr.write(`fold ${i + 1} weights: ${JSON.stringify(fold.weights)}\n`));
  return 0;
}

const f = (x: number) => x.toFixed(3);
const sign = (x: number) => `${x >= 0 ? '+' : ''}${f(x)}`;
const flat = (r: RetrieverScore) => ({
  retriever: r.retriever,
  queries: r.queries,
  ndcg10: round(r.metrics.ndcg10),
  recall10: round(r.metrics.recall10),
  recall100: round(r.metrics.recall100),
  mrr10: round(r.metrics.mrr10),
});
const round = (x: number) => Math.round(x * 10_000) / 10_000;

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  },
);
