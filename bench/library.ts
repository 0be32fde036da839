// `npm run bench -- library`: library.query_hybrid (p95 ms of a hybrid search at 100,000 chunks;
// baseline BM25 alone), library.ingest (text-PDF pages/s through the add job; baseline a naive
// parse of the whole file for every page) and library.embed (chunks/s embedded by LSA, fit
// included; baseline the same projection done densely, without the sparse TF-IDF rows).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../src-main/app';
import type { ChunkedDocument } from '../src-main/library/ingest/chunking';
import { embedLsa, fitLsa } from '../src-main/library/retrieval/lsa';
import { terms } from '../src-main/library/retrieval/terms';
import { makePdf } from '../src-main/library/test-fixtures';
import { median, report } from './util';

const CHUNKS = Number(process.env.LIBRARY_BENCH_CHUNKS ?? 100_000);
const WORDS_PER_CHUNK = 120;
const QUERIES = 60;
const PDF_PAGES = 60;
const EMBED_CHUNKS = 20_000;

/** Deterministic words: a Zipf-like vocabulary with topics, so BM25 and LSA both have structure to find. */
function corpus(seed = 1) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) / 16777216;
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qu', 'der', 'ston', 'mar', 'bel', 'fin'];
  const vocab = Array.from({ length: 20_000 }, (_, i) => {
    let w = '';
    for (let n = i + 17; w.length < 4 || n > 0; n = Math.floor(n / syll.length)) w += syll[n % syll.length];
    return w;
  });
  const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.exp(rnd() * Math.log(n + 1)) - 1));
  const TOPICS = 200;
  // Each topic favours its own 100 words.
  const topicWords = Array.from({ length: TOPICS }, (_, t) =>
    Array.from({ length: 100 }, (_, j) => vocab[(t * 97 + j * 31) % vocab.length]!),
  );
  const text = (topic: number, words: number) => {
    const out: string[] = [];
    for (let i = 0; i < words; i++) out.push(rnd() < 0.3 ? topicWords[topic]![zipf(100)]! : vocab[zipf(vocab.length)]!);
    return out.join(' ');
  };
  return { rnd, text, topicWords, TOPICS };
}

function chunked(texts: string[]): ChunkedDocument {
  let text = '';
  const chunks = texts.map((t, ord) => {
    if (text) text += '\n\n';
    const start = text.length;
    text += t;
    return { ord, text: t, heading: null, page: null, start, end: text.length, words: WORDS_PER_CHUNK };
  });
  return { text, pageStarts: null, chunks };
}

function p95(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!;
}

async function queryBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-bench-library-'));
  const app = createApp({ dataDir: dir, startJobs: false });
  try {
    const c = corpus();
    const t0 = performance.now();
    const docs = CHUNKS / 10;
    app.store.db.transaction(() => {
      for (let d = 0; d < docs; d++) {
        const topic = d % c.TOPICS;
        const texts = Array.from({ length: 10 }, () => c.text(topic, WORDS_PER_CHUNK));
        app.library.store.saveDocument(
          {
            fileName: `doc${d}.txt`,
            path: `/bench/doc${d}.txt`,
            kind: 'text',
            folder: 'bench',
            tags: [],
            bytes: 0,
            hash: String(d),
            pages: null,
            ocrPages: 0,
          },
          chunked(texts),
        );
      }
    })();
    const tInsert = performance.now() - t0;
    app.library.lsa.refit();
    process.stderr.write(
      `library bench: ${CHUNKS} chunks inserted in ${(tInsert / 1000).toFixed(1)} s, LSA fitted in ${((performance.now() - t0 - tInsert) / 1000).toFixed(1)} s\n`,
    );
    const queries = Array.from({ length: QUERIES }, (_, i) => {
      const words = c.topicWords[(i * 7) % c.TOPICS]!;
      return Array.from({ length: 3 + (i % 4) }, (_, j) => words[(i + j * 13) % 20]!).join(' ');
    });
    const timeAll = async (retriever: 'bm25' | 'hybrid') => {
      await app.library.search({ query: queries[0]!, retriever, k: 10 });
      const times: number[] = [];
      for (const q of queries) {
        const s = performance.now();
        await app.library.search({ query: q, retriever, k: 10 });
        times.push(performance.now() - s);
      }
      return times;
    };
    const bm25 = p95(await timeAll('bm25'));
    const hybrid = p95(await timeAll('hybrid'));
    report({
      bench: 'library.query_hybrid',
      value: hybrid,
      unit: `ms p95 (${CHUNKS} chunks, k=10)`,
      baseline: 'BM25 alone, same queries',
      baseline_value: bm25,
      x: bm25 / hybrid,
    });
  } finally {
    await app.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function ingestBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-bench-library-'));
  const c = corpus(3);
  const pages = Array.from({ length: PDF_PAGES }, (_, p) =>
    Array.from({ length: 4 }, () => c.text(p % c.TOPICS, 90) + '.'),
  );
  const pdf = await makePdf(pages);
  const file = path.join(dir, 'book.pdf');
  fs.writeFileSync(file, pdf);
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const app: App = createApp({ dataDir: path.join(dir, `data${r}`) });
    const t0 = performance.now();
    const job = await app.jobs.whenDone(app.library.add({ paths: [file] }).jobId);
    runs.push(performance.now() - t0);
    if (job.status !== 'succeeded') throw new Error(`add job ${job.status}: ${job.error}`);
    await app.dispose();
  }
  const rate = PDF_PAGES / (median(runs) / 1000);
  // Baseline: open and parse the whole file again for every page (what a per-page loop without a shared document does).
  const { getDocumentProxy } = await import('unpdf');
  const baseRuns: number[] = [];
  const basePages = 15;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let n = 1; n <= basePages; n++) {
      const doc = await getDocumentProxy(new Uint8Array(pdf), { verbosity: 0 });
      await (await doc.getPage(n)).getTextContent();
      await doc.loadingTask.destroy();
    }
    baseRuns.push(performance.now() - t0);
  }
  const baseRate = basePages / (median(baseRuns) / 1000);
  report({
    bench: 'library.ingest',
    value: rate,
    unit: `pages/s (a ${PDF_PAGES}-page text PDF through the add job: extract, chunk, index, LSA)`,
    baseline: 'naive per-page parse (the file reopened for each page, text only)',
    baseline_value: baseRate,
    x: rate / baseRate,
  });
  fs.rmSync(dir, { recursive: true, force: true });
}

async function embedBench(): Promise<void> {
  const c = corpus(5);
  const texts = Array.from({ length: EMBED_CHUNKS }, (_, i) => c.text(i % c.TOPICS, WORDS_PER_CHUNK));
  const t0 = performance.now();
  const model = fitLsa(texts);
  for (const t of texts) embedLsa(model, t);
  const rate = EMBED_CHUNKS / ((performance.now() - t0) / 1000);
  // Baseline: the same projection with a dense TF-IDF vector per chunk (vocab × dims multiply-adds).
  const V = model.vocab.size;
  const d = model.dims;
  const sample = texts.slice(0, 200);
  const t1 = performance.now();
  for (const t of sample) {
    const dense = new Float32Array(V);
    for (const w of terms(t)) {
      const j = model.vocab.get(w);
      if (j !== undefined) dense[j]! += model.idf[j]!;
    }
    const out = new Float32Array(d);
    for (let v = 0; v < V; v++) {
      const x = dense[v]!;
      for (let k = 0; k < d; k++) out[k]! += x * model.proj[v * d + k]!;
    }
  }
  const baseRate = sample.length / ((performance.now() - t1) / 1000);
  report({
    bench: 'library.embed',
    value: rate,
    unit: `chunks/s (LSA, ${d} dims, fit on ${EMBED_CHUNKS} chunks included)`,
    baseline: 'dense TF-IDF × projection per chunk (no sparsity), embedding only',
    baseline_value: baseRate,
    x: rate / baseRate,
  });
}

export async function run(): Promise<void> {
  await embedBench();
  await ingestBench();
  await queryBench();
}
