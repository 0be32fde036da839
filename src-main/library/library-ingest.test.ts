/**
 * The library end to end through the service and its job: every format made in the test, retrieval
 * of the right passage by BM25, dense (LSA) and hybrid, tables as Markdown, pages, re-adding, and
 * hostile files. One app and one add job share the OCR worker (it takes seconds to start).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app';
import { tempDir } from '../../test/helpers/temp-dir';
import type { AddJobResult, Retriever } from './common/contract';
import { NO_EMBEDDING_MODEL_NOTICE } from './library-service';
import { encryptedPdf, findFont, hugePagesPdf, makeDocx, makePdf, textPng, zipBomb } from './test-fixtures';

const font = findFont();
if (!font)
  console.warn(
    'library tests: no system font (DejaVu Sans / Liberation Sans) found: the image and scanned-page checks are skipped.',
  );

let app: App;
let dir: string;
let first: AddJobResult;

async function addAndWait(paths: string[], extra: { folder?: string; tags?: string[] } = {}): Promise<AddJobResult> {
  const { jobId } = app.library.add({ paths, ...extra });
  const job = await app.jobs.whenDone(jobId);
  expect(job.status, job.error ?? '').toBe('succeeded');
  return job.result as AddJobResult;
}

beforeAll(async () => {
  dir = tempDir('palimpsest-library-');
  const refs = path.join(dir, 'refs');
  fs.mkdirSync(refs);
  const scan = font
    ? await textPng(['The lighthouse keeper records every', 'passing ship in a leather logbook.'], font)
    : null;
  fs.writeFileSync(
    path.join(refs, 'glaciers.pdf'),
    await makePdf([
      [
        'Glaciers carve deep valleys over millennia as ice grinds the bedrock.',
        'Terminal moraines mark where a glacier stopped advancing.',
      ],
      ['Meltwater lakes form behind the moraines when the climate warms.'],
      ...(scan ? [{ image: scan }] : []),
    ]),
  );
  fs.writeFileSync(
    path.join(refs, 'orchids.docx'),
    await makeDocx({
      heading: 'Orchid cultivation',
      paragraphs: ['Epiphytic orchids cling to tree bark and draw moisture from humid air.'],
      table: [
        ['Species', 'Habitat'],
        ['Vanilla planifolia', 'Tropical forest'],
      ],
    }),
  );
  fs.writeFileSync(
    path.join(refs, 'ants.html'),
    `<html><head><title>Ants</title><style>p{color:red}</style><script>var trackingPixel = 1;</script></head>
     <body><nav>Home | About | Contact</nav><h1>Leafcutter ants</h1><p>Leafcutter ants farm a fungus on chewed leaves deep underground.</p>
     <h2>Castes</h2><table><tr><th>Caste</th><th>Task</th></tr><tr><td>Minima</td><td>Tending the fungus garden</td></tr></table></body></html>`,
  );
  fs.writeFileSync(
    path.join(refs, 'tides.md'),
    '# Oceans\n\n## Tides\n\nSpring tides happen when the sun and moon align, raising the tidal range.\n',
  );
  fs.writeFileSync(
    path.join(refs, 'volcanoes.txt'),
    'Basaltic volcanoes erupt runny lava that flows for kilometres.\n',
  );
  if (scan)
    fs.writeFileSync(
      path.join(refs, 'scan.png'),
      await textPng(['Beekeepers smoke the hive to calm', 'the worker bees before harvest.'], font!),
    );
  app = createApp({ dataDir: path.join(dir, 'data') });
  first = await addAndWait([refs], { tags: ['nature'] });
}, 90_000);

afterAll(async () => {
  await app?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const top = async (query: string, retriever: Retriever) =>
  (await app.library.search({ query, retriever, k: 5 })).hits[0];

describe('library ingestion and retrieval', () => {
  it('adds every format, labels the folder from the added folder and tags every file', () => {
    expect(first.failed, JSON.stringify(first.files)).toBe(0);
    expect(first.added).toBe(font ? 6 : 5);
    const docs = app.library.list();
    expect(new Set(docs.map((d) => d.kind))).toEqual(
      new Set(['pdf', 'docx', 'html', 'markdown', 'text', ...(font ? ['image'] : [])]),
    );
    for (const d of docs) {
      expect(d.folder).toBe('refs');
      expect(d.tags).toEqual(['nature']);
      expect(d.chunks).toBeGreaterThan(0);
    }
    const pdf = docs.find((d) => d.kind === 'pdf')!;
    expect(pdf.pages).toBe(font ? 3 : 2);
    expect(pdf.ocrPages).toBe(font ? 1 : 0);
  });

  const cases: Array<[string, string, boolean]> = [
    ['glacier moraine bedrock', 'glaciers.pdf', false],
    ['epiphytic orchids tree bark moisture', 'orchids.docx', false],
    ['leafcutter ants fungus underground', 'ants.html', false],
    ['spring tides sun moon', 'tides.md', false],
    ['basaltic lava flows', 'volcanoes.txt', false],
    ['lighthouse keeper logbook ship', 'glaciers.pdf', true],
    ['beekeepers smoke hive', 'scan.png', true],
  ];
  for (const retriever of ['bm25', 'dense', 'hybrid'] as const) {
    it(`finds the right passage with ${retriever}`, async () => {
      for (const [query, doc, needsFont] of cases) {
        if (needsFont && !font) continue;
        const hit = await top(query, retriever);
        expect(hit?.doc, `${retriever}: ${query}`).toBe(doc);
        expect(hit!.rank).toBe(1);
        expect(hit!.scores[retriever]).toBeTypeOf('number');
      }
    });
  }

  it('keeps page numbers and offsets for PDFs (the scanned page read by OCR)', async () => {
    const hit = (await app.library.search({ query: 'meltwater lakes', retriever: 'bm25' })).hits[0]!;
    expect(hit.page).toBe(2);
    const page = app.library.page({ documentId: hit.documentId, page: 2 });
    expect(page.text).toContain('Meltwater lakes');
    expect(page.chunks.map((c) => c.id)).toContain(hit.id);
    const ctx = app.library.passage({ chunkId: hit.id });
    expect(ctx.passage.text).toContain('Meltwater');
    expect(ctx.before).toContain('moraines');
    if (font) {
      const scanned = (await app.library.search({ query: 'lighthouse logbook', retriever: 'bm25' })).hits[0]!;
      expect(scanned.page).toBe(3);
    }
  });

  it('keeps tables as Markdown tables and headings as the heading path', async () => {
    const orchid = (await app.library.search({ query: 'Vanilla planifolia habitat', retriever: 'bm25' })).hits[0]!;
    expect(orchid.text).toContain('| Species | Habitat |\n| --- | --- |\n| Vanilla planifolia | Tropical forest |');
    expect(orchid.heading).toBe('Orchid cultivation');
    const ants = (await app.library.search({ query: 'minima caste task', retriever: 'bm25' })).hits[0]!;
    expect(ants.text).toContain('| Caste | Task |');
    expect(ants.heading).toBe('Leafcutter ants › Castes');
    const tides = (await app.library.search({ query: 'spring tides', retriever: 'bm25' })).hits[0]!;
    expect(tides.heading).toBe('Oceans › Tides');
    // Dropped: script, style and navigation.
    expect((await app.library.search({ query: 'trackingPixel', retriever: 'bm25' })).hits).toHaveLength(0);
    expect((await app.library.search({ query: 'Contact About', retriever: 'bm25' })).hits).toHaveLength(0);
  });

  it('re-adding unchanged files does nothing; a changed file is re-indexed', async () => {
    const before = app.library.list();
    const again = await addAndWait([path.join(dir, 'refs')]);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: before.length, failed: 0 });
    expect(app.library.list().map((d) => [d.id, d.updatedAt])).toEqual(before.map((d) => [d.id, d.updatedAt]));
    const file = path.join(dir, 'refs', 'volcanoes.txt');
    fs.writeFileSync(file, 'Stratovolcanoes build steep cones from layers of ash and andesite.\n');
    const changed = await addAndWait([file]);
    expect(changed).toMatchObject({ added: 0, updated: 1 });
    expect((await app.library.search({ query: 'basaltic', retriever: 'bm25' })).hits).toHaveLength(0);
    const hit = await top('stratovolcano andesite ash', 'hybrid');
    expect(hit?.doc).toBe('volcanoes.txt');
    expect(app.library.list().filter((d) => d.fileName === 'volcanoes.txt')).toHaveLength(1);
  });

  it('gives hostile and broken files a clear error each and leaves the library intact', async () => {
    const bad = path.join(dir, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'bomb.docx'), zipBomb());
    fs.writeFileSync(path.join(bad, 'huge.pdf'), hugePagesPdf(100_000));
    fs.writeFileSync(path.join(bad, 'locked.pdf'), await encryptedPdf());
    fs.writeFileSync(path.join(bad, 'broken.pdf'), '%PDF-1.4\nthis is not really a pdf');
    fs.writeFileSync(path.join(bad, 'fake.docx'), 'not a zip at all');
    fs.writeFileSync(path.join(bad, 'binary.txt'), Buffer.from([0, 1, 2, 0, 0, 5, 0, 0, 9, 0]));
    fs.writeFileSync(path.join(bad, 'data.xyz'), 'unknown');
    const big = path.join(bad, 'big.txt');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 60 * 1024 * 1024);
    const docsBefore = app.library.list();
    const chunksBefore = app.library.status().chunks;
    const names = [
      'bomb.docx',
      'huge.pdf',
      'locked.pdf',
      'broken.pdf',
      'fake.docx',
      'binary.txt',
      'data.xyz',
      'big.txt',
    ];
    const r = await addAndWait(names.map((n) => path.join(bad, n)));
    expect(r.failed).toBe(names.length);
    const error = (n: string) => r.files.find((f) => f.file.endsWith(n))!.error;
    expect(error('bomb.docx')).toMatch(/zip bomb/);
    expect(error('huge.pdf')).toMatch(/100,000 pages.*at most 5,000/);
    expect(error('locked.pdf')).toMatch(/password-protected/);
    expect(error('broken.pdf')).toMatch(/damaged/);
    expect(error('fake.docx')).toMatch(/not a Word document/);
    expect(error('binary.txt')).toMatch(/binary data/);
    expect(error('data.xyz')).toMatch(/Unsupported file type ".xyz"/);
    expect(error('big.txt')).toMatch(/too large/);
    expect(app.library.list()).toEqual(docsBefore);
    expect(app.library.status().chunks).toBe(chunksBefore);
    expect((await top('leafcutter fungus', 'hybrid'))?.doc).toBe('ants.html');
  });

  it('fails the files of a folder deleted under a running job as "not found" and finishes', async () => {
    const gone = path.join(dir, 'gone');
    fs.mkdirSync(gone);
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(gone, `n${i}.txt`), `Note ${i} about quasars.`);
    const off = app.jobs.onDidChangeJob((j) => {
      // The first step lists the files; delete the folder before any is read.
      if (j.kind === 'library.add' && j.total === 5 && j.done === 0) fs.rmSync(gone, { recursive: true, force: true });
    });
    try {
      const r = await addAndWait([gone]);
      expect(r.failed).toBe(5);
      expect(r.files.every((f) => /not found/i.test(f.error ?? ''))).toBe(true);
    } finally {
      off();
    }
  });

  it('relabels, filters by folder and tag, and removes documents', async () => {
    const ants = app.library.list().find((d) => d.fileName === 'ants.html')!;
    app.library.setFolder({ id: ants.id, folder: 'Insects' });
    app.library.setTags({ id: ants.id, tags: ['insects', 'insects', ' fungus '] });
    expect(app.library.get(ants.id)).toMatchObject({ folder: 'Insects', tags: ['insects', 'fungus'] });
    expect(app.library.list({ folder: 'Insects' }).map((d) => d.id)).toEqual([ants.id]);
    expect(app.library.list({ tag: 'fungus' }).map((d) => d.id)).toEqual([ants.id]);
    const inFolder = await app.library.search({ query: 'fungus orchids glacier', folder: 'Insects', k: 10 });
    expect(new Set(inFolder.hits.map((h) => h.doc))).toEqual(new Set(['ants.html']));
    const other = await app.library.search({ query: 'fungus', tag: 'nature', retriever: 'dense', k: 10 });
    expect(other.hits.some((h) => h.doc === 'ants.html')).toBe(false);
    expect(app.library.remove({ ids: [ants.id] })).toEqual({ removed: 1 });
    expect((await app.library.search({ query: 'leafcutter', retriever: 'bm25' })).hits).toHaveLength(0);
    const dense = await app.library.search({ query: 'leafcutter ants fungus', retriever: 'dense', k: 50 });
    expect(dense.hits.some((h) => h.doc === 'ants.html')).toBe(false);
  });

  it('falls back to LSA, and says so, when the embedding model is missing', async () => {
    app.library.setSettings({ dense: 'gguf', embeddingModel: null });
    const r = await app.library.search({ query: 'glacier', retriever: 'hybrid' });
    expect(r.dense).toBe('lsa');
    expect(r.notices).toContain(NO_EMBEDDING_MODEL_NOTICE);
    expect(r.hits[0]?.doc).toBe('glaciers.pdf');
    expect(app.library.status()).toMatchObject({ dense: 'lsa', embeddingModel: { present: false } });
    expect(() => app.library.setSettings({ dense: 'gguf', embeddingModel: 'no-such-model' })).toThrow(
      /No installed model/,
    );
    app.library.setSettings({ dense: 'lsa' });
  });

  it('rejects empty queries, handles 100 KB ones and is deterministic', async () => {
    await expect(app.library.search({ query: '   ' })).rejects.toThrow(/empty/);
    const long = ('glacier moraine ' + 'lorem ipsum dolor sit amet '.repeat(20)).repeat(200).slice(0, 100_000);
    const r = await app.library.search({ query: long, k: 3 });
    expect(r.hits[0]?.doc).toBe('glaciers.pdf');
    const a = await app.library.search({ query: 'ice and water', k: 10 });
    const b = await app.library.search({ query: 'ice and water', k: 10 });
    expect(b.hits.map((h) => [h.id, h.score])).toEqual(a.hits.map((h) => [h.id, h.score]));
  });
});
