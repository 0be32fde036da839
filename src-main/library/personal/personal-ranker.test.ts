import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import { openStore, type Store } from '../../store';
import type { SearchHit } from '../common/contract';
import { CurationLog } from '../curation/curation-log';
import { PassageSource } from '../curation/passage-source';
import { PersonalRanker } from './personal-ranker';
import { PersonalizationSettingsStore } from './personalization-settings';
import { cosine, idfOver, termCounts, termVector } from './text-terms';

/**
 * Ambiguous words, two senses each: the writer wants the computing sense. Passages share their
 * sense's vocabulary ("code", "program", "software"...), not the query word's other sense.
 */
const SENSES: Record<string, { tech: string[]; other: string[] }> = {
  python: {
    tech: [
      'Python code runs in an interpreter; the program imports a software library module.',
      'A Python program uses functions and modules from the software library to parse data in code.',
    ],
    other: [
      'The python snake: a python coils around its prey in the rainforest.',
      'A python is a large snake of the jungle; the python hunts birds at night.',
      'Python eggs: the python guards its nest in the forest.',
    ],
  },
  java: {
    tech: [
      'Java code compiles to bytecode; the program runs on a virtual machine with a software library.',
      'Write the Java program as classes; the compiler checks the code and the library modules.',
    ],
    other: [
      'Java is an island of Indonesia; Java has volcanoes and rice terraces.',
      'The island of Java grows Java coffee on volcanic slopes near the sea.',
      'Travellers to Java visit the temples and beaches of Java.',
    ],
  },
  ruby: {
    tech: [
      'Ruby code is interpreted; a Ruby program loads gems, each a software library module.',
      'The Ruby program defines classes and functions; its code uses a library to parse data.',
    ],
    other: [
      'A ruby is a red gemstone; the ruby is a precious stone cut by jewellers.',
      'The ruby ring shone; the ruby was set in gold by the jeweller.',
      'Ruby mines of Burma: the ruby is valued for its deep red colour.',
    ],
  },
  shell: {
    tech: [
      'A shell script is code: the program runs commands and pipes data between software tools.',
      'The shell interprets the program line by line and calls functions from a library of tools.',
    ],
    other: [
      'A sea shell lies on the beach; the mollusc left its hard shell in the sand.',
      'The shell of a snail, the shell of a clam: they wash up on the shore.',
      'The turtle pulls its head into its shell at the sea, a strong shell.',
    ],
  },
};

describe('personal retriever (reranker learned from the curation log)', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  function setup() {
    store = openStore({ dataDir: tempDir() });
    const db = store.db;
    const now = Date.now();
    const relevant = new Map<string, Set<number>>();
    let n = 0;
    for (const [word, senses] of Object.entries(SENSES)) {
      relevant.set(word, new Set());
      for (const [sense, texts] of Object.entries(senses)) {
        texts.forEach((text, i) => {
          const doc = `d${n++}`;
          db.prepare(
            `INSERT INTO library_documents (id, file_name, path, kind, folder, bytes, hash, text, added_at, updated_at)
             VALUES (?, ?, NULL, 'text', 'test', ?, ?, ?, ?, ?)`,
          ).run(doc, `${word}-${sense}-${i}.txt`, text.length, doc, text, now, now);
          const id = Number(
            db
              .prepare(
                `INSERT INTO library_chunks (document_id, ord, text, start_at, end_at, words) VALUES (?, 0, ?, 0, ?, 10)`,
              )
              .run(doc, text, text.length).lastInsertRowid,
          );
          if (sense === 'tech') relevant.get(word)!.add(id);
        });
      }
    }
    const chunks = db
      .prepare(
        `SELECT c.id, c.document_id, c.text, d.file_name FROM library_chunks c JOIN library_documents d ON d.id = c.document_id`,
      )
      .all() as Array<{ id: number; document_id: string; text: string; file_name: string }>;
    const counts = chunks.map((c) => termCounts(c.text));
    const idf = idfOver(counts);
    // A stand-in hybrid retriever: lexical cosine, with the "other" sense favoured by its word count
    // (the query word appears as often there), so plain ranking mixes the senses.
    const hybrid = async (query: string, k: number): Promise<SearchHit[]> => {
      const q = termVector(termCounts(query), idf);
      return chunks
        .map((c, i) => ({ c, s: cosine(q, termVector(counts[i]!, idf)) }))
        .filter((x) => x.s > 0)
        .sort((a, b) => b.s - a.s || a.c.id - b.c.id)
        .slice(0, k)
        .map(({ c, s }, i) => ({
          id: c.id,
          documentId: c.document_id,
          doc: c.file_name,
          chunk: 0,
          text: c.text,
          page: null,
          start: 0,
          end: c.text.length,
          heading: null,
          rank: i + 1,
          score: 1 / (60 + i + 1),
          scores: { bm25: s, hybrid: 1 / (60 + i + 1) },
          pinned: false,
          excluded: false,
          rating: null,
        }));
    };
    const log = new CurationLog(db);
    const settings = new PersonalizationSettingsStore(db);
    const ranker = new PersonalRanker({ log, passages: new PassageSource(db), settings, hybrid });
    const search = async (query: string) => (await ranker.rerank({ query, candidates: await hybrid(query, 100) })).hits;
    return { db, log, ranker, hybrid, search, relevant, settings };
  }

  /** Precision of the top 2 (each word has 2 relevant passages). */
  const p2 = (hits: SearchHit[], rel: Set<number>) => hits.slice(0, 2).filter((h) => rel.has(h.id)).length / 2;

  it('is plain hybrid with no log, then reranks from pins and excludes and helps a held-out query', async () => {
    const { log, ranker, hybrid, search, relevant, settings } = setup();
    const before = await search('ruby');
    expect(before.map((h) => h.id)).toEqual((await hybrid('ruby', 100)).map((h) => h.id));
    const heldOutBefore = p2(before, relevant.get('ruby')!) + p2(await search('shell'), relevant.get('shell')!);

    // The writer curates two words: pins the computing passages, excludes the others.
    for (const word of ['python', 'java']) {
      for (const h of await hybrid(word, 100)) {
        const passage = { chunkId: h.id, documentId: h.documentId, doc: h.doc, chunk: h.chunk };
        log.record({
          query: word,
          action: relevant.get(word)!.has(h.id) ? 'pin' : 'exclude',
          passage,
          rank: h.rank,
          retriever: 'hybrid',
        });
      }
    }
    const model = await ranker.model();
    expect(model.labelled).toBeGreaterThan(0);
    expect(model.weights.simPinned + model.weights.simPinnedQuery).toBeGreaterThan(0);

    const after = await search('ruby');
    expect(after.map((h) => h.id)).not.toEqual(before.map((h) => h.id));
    const heldOutAfter = p2(after, relevant.get('ruby')!) + p2(await search('shell'), relevant.get('shell')!);
    expect(heldOutAfter).toBeGreaterThan(heldOutBefore);

    // Switched off: hybrid again, said so.
    settings.set({ enabled: false });
    const off = await ranker.rerank({ query: 'ruby', candidates: await hybrid('ruby', 100) });
    expect(off.hits.map((h) => h.id)).toEqual(before.map((h) => h.id));
    expect(off.notices?.[0]).toMatch(/off/);
  });

  it('derives an intent from pinned vs excluded passages and expands related queries', async () => {
    const { log, ranker, hybrid, relevant } = setup();
    expect((await ranker.intent()).basis).toBe(0);
    for (const h of await hybrid('python', 100)) {
      const passage = { chunkId: h.id, documentId: h.documentId, doc: h.doc, chunk: h.chunk };
      log.record({ query: 'python', action: relevant.get('python')!.has(h.id) ? 'pin' : 'exclude', passage });
    }
    const intent = await ranker.intent();
    expect(intent.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['software', 'library']));
    expect(intent.avoid).toContain('snake');
    expect(intent.summary).toMatch(/^Looking for .*avoiding .*snake/);
    const r = await ranker.rerank({ query: 'python', candidates: await hybrid('python', 100) });
    expect(r.expandedQuery).toMatch(/^python .*software/);
    // Unrelated query: nothing to expand with.
    const other = await ranker.rerank({ query: 'volcano', candidates: await hybrid('volcano', 100) });
    expect(other.expandedQuery).toBeUndefined();
  });
});
