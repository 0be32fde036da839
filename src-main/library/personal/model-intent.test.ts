import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import { ScriptedProvider } from '../../authoring/operations/scripted-provider';
import { AuthorService } from '../../authorship/author-service';
import { HUMAN_AUTHOR_ID } from '../../authorship/common';
import { GenerationLog } from '../../authorship/generation-log';
import { LlmError } from '../../llm/errors';
import type { GenerationRequest } from '../../llm/provider';
import { openStore, type Store } from '../../store';
import type { SearchHit } from '../common/contract';
import { CurationService } from '../curation/curation-service';
import { INTENT_INPUT_WORDS, intentPrompt, parseIntentReply } from './model-intent';
import { cosine, idfOver, termCounts, termVector } from './text-terms';

const TEXTS = [
  'Python code runs in an interpreter; the program imports a software library module.',
  'A Python program uses functions and modules from the software library to parse data in code.',
  'The python snake: a python coils around its prey in the rainforest.',
  'A python is a large snake of the jungle; the python hunts birds at night.',
  'Steam trains ran on coal. The locomotive pulled carriages along iron rails.',
];

describe('parseIntentReply', () => {
  const curated = ['The program imports a software library.'];
  const vocab = new Set(['interpreter', 'bytecode', 'compiler']);
  const inVocabulary = (w: string) => vocab.has(w);

  it('reads the two lines through markdown, extra text and phrases, keeping only known words', () => {
    const r = parseIntentReply(
      'Sure! Here it is:\n**Summary:** The writer wants Python as a programming language. Not snakes.\n' +
        '**Terms:** software library, "interpreter", unicorn; Compiler and bytecode\n\nHope this helps.',
      curated,
      inVocabulary,
    );
    expect(r.summary).toBe('The writer wants Python as a programming language.');
    expect(r.terms).toEqual(['software', 'library', 'interpreter', 'compiler', 'bytecode']);
  });

  it('caps the terms at six and dedupes by stem', () => {
    vocab.add('function').add('functions').add('modules').add('classes').add('objects');
    const r = parseIntentReply(
      'Summary: The writer wants code\nTerms: function, functions, modules, classes, objects, compiler, bytecode, interpreter',
      curated,
      inVocabulary,
    );
    expect(r.summary).toBe('The writer wants code.');
    expect(r.terms).toHaveLength(6);
    expect(r.terms).toEqual(['function', 'modules', 'classes', 'objects', 'compiler', 'bytecode']);
  });

  it('refuses gibberish, a missing line, and terms the library does not have', () => {
    expect(() => parseIntentReply('Once upon a time there was a little cat.', curated, inVocabulary)).toThrow(
      /no "Summary:" line/,
    );
    expect(() => parseIntentReply('Summary: The writer wants code.', curated, inVocabulary)).toThrow(
      /no "Terms:" line/,
    );
    expect(() =>
      parseIntentReply('Summary: The writer wants code.\nTerms: unicorn, zebra', curated, inVocabulary),
    ).toThrow(/none of the terms/);
    expect(() => parseIntentReply('Summary: ??\nTerms: software', curated, inVocabulary)).toThrow(/empty/);
  });
});

describe('intentPrompt', () => {
  it('bounds the material to the word budget, queries and pins first', () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const items = Array.from({ length: 30 }, (_, i) => ({
      chunkId: i,
      documentId: `d${i}`,
      text: long,
      query: `query ${i}`,
      pinned: i % 2 === 0,
      excluded: i % 2 === 1,
      rating: null,
    }));
    const [system, user] = intentPrompt(items, ['tariff history', 'Tariff history', 'sugar trade']);
    expect(system!.role).toBe('system');
    expect(system!.content).toMatch(/Summary: .*\nTerms: /);
    const material = user!.content;
    expect(material).toContain('- tariff history\n- sugar trade\n');
    expect(material.split(/\s+/).filter((w) => /^word\d+$/.test(w)).length).toBeLessThanOrEqual(INTENT_INPUT_WORDS);
    expect(material.indexOf('Pinned passages')).toBeLessThan(material.indexOf('Excluded passages'));
  });
});

describe('intent written by a model author', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  function setup(reply: string) {
    store = openStore({ dataDir: tempDir() });
    const db = store.db;
    const now = Date.now();
    TEXTS.forEach((text, i) => {
      db.prepare(
        `INSERT INTO library_documents (id, file_name, path, kind, folder, bytes, hash, text, added_at, updated_at)
         VALUES (?, ?, NULL, 'text', 'test', ?, ?, ?, ?, ?)`,
      ).run(`d${i}`, `doc${i}.txt`, text.length, `h${i}`, text, now, now);
      db.prepare(
        `INSERT INTO library_chunks (document_id, ord, text, start_at, end_at, words) VALUES (?, 0, ?, 0, ?, 10)`,
      ).run(`d${i}`, text, text.length);
    });
    const chunks = db
      .prepare(
        `SELECT c.id, c.document_id, c.text, d.file_name FROM library_chunks c JOIN library_documents d ON d.id = c.document_id`,
      )
      .all() as Array<{ id: number; document_id: string; text: string; file_name: string }>;
    const counts = chunks.map((c) => termCounts(c.text));
    const idf = idfOver(counts);
    const searched: string[] = [];
    const hybrid = async (query: string, k: number): Promise<SearchHit[]> => {
      searched.push(query);
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
    const authors = new AuthorService(db);
    const generations = new GenerationLog(db);
    const provider = new ScriptedProvider(() => ({ tokens: [reply] }));
    const curation = new CurationService(db, {
      authorGeneration: () => ({ authors, generations, providers: { resolve: async () => provider } }),
    });
    curation.connect(hybrid);
    const author = authors.createModelAuthor({ name: 'Iris', provider: 'local', model: 'scripted' });
    const ids = chunks.map((c) => c.id);
    const curateSenses = () => {
      curation.curate({ query: 'python', chunkId: ids[0]!, action: 'pin' });
      curation.curate({ query: 'python', chunkId: ids[1]!, action: 'pin' });
      curation.curate({ query: 'python', chunkId: ids[2]!, action: 'exclude' });
    };
    return { db, curation, provider, author, authors, ids, searched, curateSenses };
  }

  const GOOD =
    'Summary: The writer is after Python the programming language, not the snake.\nTerms: software, interpreter, unicorn, modules';

  it('uses the model summary and its terms (known words only) for the intent and personal expansion', async () => {
    const { curation, provider, author, ids, curateSenses } = setup(GOOD);
    curateSenses();
    // Term statistics until an author is chosen; then the model's summary.
    expect((await curation.intent()).source).toBe('terms');
    expect(provider.requests).toHaveLength(0);
    expect(curation.setPersonalization({ intentAuthorId: author.id }).intentAuthorId).toBe(author.id);
    const intent = await curation.intent();
    expect(intent).toMatchObject({
      source: 'model',
      author: 'Iris',
      notice: null,
      summary: 'The writer is after Python the programming language, not the snake.',
    });
    expect(intent.terms.map((t) => t.term)).toEqual(['software', 'interpreter', 'modules']);
    const request = provider.requests[0] as GenerationRequest & { kind: 'chat' };
    expect(request.maxTokens).toBe(120);
    expect(request.messages[1]!.content).toContain('Python code runs in an interpreter');

    const forQuery = await curation.intent('python software');
    expect(forQuery.expandedQuery).toBe('python software interpreter modules');
    const r = await curation.rerank({ query: 'python', candidates: [] });
    expect(r.expandedQuery).toBe('python software interpreter modules');
    expect(r.notices ?? []).not.toContainEqual(expect.stringMatching(/could not summarise/));
    // Cached per log version: three reads above, one generation.
    expect(provider.requests).toHaveLength(1);

    // The log changed: the next read asks again.
    curation.curate({ query: 'python', chunkId: ids[3]!, action: 'rate', value: 5 });
    await curation.intent();
    await curation.intent();
    expect(provider.requests).toHaveLength(2);
  });

  it('falls back to term statistics with a notice on garbage, failures and a removed author', async () => {
    const { curation, provider, author, authors, curateSenses } = setup('Once upon a time the little cat sat.');
    curateSenses();
    curation.setPersonalization({ intentAuthorId: author.id });
    const garbage = await curation.intent();
    expect(garbage.source).toBe('terms');
    expect(garbage.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['software']));
    expect(garbage.notice).toBe(
      'The model author could not summarise your curation (Iris: its reply had no "Summary:" line); using term statistics.',
    );
    // The personal search says so too, and expands by term statistics.
    const r = await curation.rerank({ query: 'python', candidates: [] });
    expect(r.notices).toContain(garbage.notice);
    expect(r.expandedQuery).toMatch(/^python .*software/);

    provider.handle(() => ({ tokens: [], fail: new LlmError('unreachable', 'The model server did not answer.') }));
    curation.setPersonalization({ intentAuthorId: author.id }); // re-choosing asks again
    expect((await curation.intent()).notice).toMatch(/\(Iris: The model server did not answer\.\); using term/);

    authors.delete(author.id);
    const gone = await curation.intent();
    expect(gone.source).toBe('terms');
    expect(gone.notice).toMatch(/author no longer exists/);
  });

  it('refuses a human as the intent author and goes back to term statistics on null', () => {
    const { curation, author } = setup(GOOD);
    expect(() => curation.setPersonalization({ intentAuthorId: HUMAN_AUTHOR_ID })).toThrow(/not a model author/);
    expect(() => curation.setPersonalization({ intentAuthorId: 'nobody' })).toThrow();
    curation.setPersonalization({ intentAuthorId: author.id });
    expect(curation.setPersonalization({ intentAuthorId: null }).intentAuthorId).toBeNull();
  });

  it('asks nothing while there is no curation', async () => {
    const { curation, provider, author } = setup(GOOD);
    curation.setPersonalization({ intentAuthorId: author.id });
    expect(await curation.intent()).toMatchObject({ source: 'terms', basis: 0, notice: null });
    expect(provider.requests).toHaveLength(0);
  });
});
