import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthorService, HUMAN_AUTHOR_ID } from '../../authorship';
import { DocumentService } from '../../documents';
import { EndpointRegistry, ProviderResolver } from '../../llm/endpoints';
import { LlmError } from '../../llm/errors';
import { openFileSecretStore } from '../../llm/keys/file-secret-store';
import type { ChatMessage } from '../../llm/provider';
import { openStore, type Store } from '../../store';
import { tempDir } from '../../../test/helpers/temp-dir';
import { AuthoringService } from '../authoring-service';
import { ScriptedProvider } from './scripted-provider';
import { SuggestionService } from './suggestion-service';
import type { SuggestEvent, SuggestInput } from './suggestion-types';

const DRAFT = 'The storm came in the night.\nWe waited by the door';

describe('SuggestionService', () => {
  let store: Store;
  let authors: AuthorService;
  let core: AuthoringService;
  let endpoints: EndpointRegistry;
  let providers: ProviderResolver;
  let model: ScriptedProvider;
  let suggestions: SuggestionService;
  let docId: string;
  let muse: string;

  beforeEach(() => {
    const dataDir = tempDir();
    store = openStore({ dataDir });
    authors = new AuthorService(store.db);
    core = new AuthoringService(store.db);
    endpoints = new EndpointRegistry(store.db, openFileSecretStore(dataDir));
    model = new ScriptedProvider(() => ({ tokens: [' and', ' listened', '.'] }));
    providers = new ProviderResolver({ endpoints, local: () => model });
    suggestions = new SuggestionService({ db: store.db, authors, providers, core });
    docId = new DocumentService(store.db).create({ title: 'Storm' }).id;
    core.apply({
      documentId: docId,
      edits: [{ author: HUMAN_AUTHOR_ID, kind: 'human', operation: 'type', from: 0, to: 0, insert: DRAFT }],
    });
    muse = authors.createModelAuthor({
      name: 'Muse',
      provider: 'local',
      model: 'tiny',
      sampling: { maxTokens: 32 },
    }).id;
  });
  afterEach(async () => {
    await providers.dispose();
    store.close();
  });

  const run = async (input: Partial<SuggestInput>, signal?: AbortSignal): Promise<SuggestEvent[]> => {
    const events: SuggestEvent[] = [];
    const end = DRAFT.length;
    for await (const e of suggestions.suggest(
      { documentId: docId, authorId: muse, operation: 'continue', from: end, to: end, ...input },
      signal,
    ))
      events.push(e);
    return events;
  };
  const done = (events: SuggestEvent[]) => {
    const last = events.at(-1)!;
    if (last.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(last)}`);
    return last;
  };
  const userMessage = (i = -1) => {
    const r = model.requests.at(i)!;
    if (r.kind !== 'chat') throw new Error('expected a chat request');
    return (r.messages as ChatMessage[]).at(-1)!.content;
  };

  it('continues at the cursor as a raw completion on the local engine, streams, and changes nothing until accepted', async () => {
    const events = await run({});
    expect(events[0]).toEqual({
      type: 'context',
      description: `The ${DRAFT.length} characters before the cursor.`,
      chars: DRAFT.length,
    });
    expect(events.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text)).toEqual([
      ' and',
      ' listened',
      '.',
    ]);
    const d = done(events);
    expect(d).toMatchObject({ text: ' and listened.', from: DRAFT.length, to: DRAFT.length });
    // The preceding text is the whole prompt (a base model just continues it), sent as this author.
    expect(model.requests[0]).toMatchObject({ kind: 'completion', prompt: DRAFT, model: 'tiny', authorId: muse });
    expect(core.document(docId).text).toBe(DRAFT);
    expect(suggestions.list(docId)).toMatchObject([{ id: d.suggestionId, status: 'pending', text: ' and listened.' }]);
    const gen = store.db.prepare('SELECT document_id, finish_reason FROM generations WHERE id = ?').get(d.generationId);
    expect(gen).toEqual({ document_id: docId, finish_reason: 'stop' });
  });

  it('accepts as one model edit linked to its generation', async () => {
    const d = done(await run({}));
    const head0 = core.document(docId).head;
    const r = suggestions.resolve({ documentId: docId, suggestionId: d.suggestionId, action: 'accept' });
    expect(r.head).not.toBe(head0);
    expect(r.suggestion).toMatchObject({ status: 'accepted', finalText: null });
    const p = core.provenance(docId);
    expect(p.text).toBe(`${DRAFT} and listened.`);
    expect(p.spans.at(-1)).toMatchObject({
      start: DRAFT.length,
      end: p.text.length,
      author: 'Muse',
      kind: 'model',
      operation: 'continue',
    });
    const ev = store.db
      .prepare('SELECT generation_id FROM contribution_events WHERE document_id = ? ORDER BY id DESC LIMIT 1')
      .get(docId) as { generation_id: number };
    expect(ev.generation_id).toBe(d.generationId);
    expect(core.verify(docId).ok).toBe(true);
    // A suggestion is accepted once.
    expect(() => suggestions.resolve({ documentId: docId, suggestionId: d.suggestionId, action: 'accept' })).toThrow(
      /already accepted/,
    );
  });

  it('accepts an edited suggestion as the model text plus the writer’s smallest change', async () => {
    const d = done(await run({}));
    suggestions.resolve({
      documentId: docId,
      suggestionId: d.suggestionId,
      action: 'accept',
      text: ' and listened hard.',
    });
    const p = core.provenance(docId);
    expect(p.text).toBe(`${DRAFT} and listened hard.`);
    const at = (i: number) => p.spans.find((s) => s.start <= i && i < s.end)!;
    expect(at(DRAFT.length + 1)).toMatchObject({ author: 'Muse', operation: 'continue' });
    // " hard" is the writer's, typed into model text; the final "." stays the model's.
    const hard = p.text.indexOf(' hard');
    expect(at(hard)).toMatchObject({ kind: 'human' });
    expect(at(hard + 4)).toMatchObject({ kind: 'human' });
    expect(at(p.text.length - 1)).toMatchObject({ author: 'Muse', operation: 'continue' });
    const ops = store.db
      .prepare('SELECT operation FROM contribution_events WHERE document_id = ? ORDER BY id')
      .all(docId)
      .map((r) => (r as { operation: string }).operation);
    expect(ops.slice(-2)).toEqual(['continue', 'type']);
    expect(suggestions.list(docId)[0]).toMatchObject({ status: 'accepted', finalText: ' and listened hard.' });
  });

  it('rejects without touching the text or the log', async () => {
    const d = done(await run({}));
    const before = core.document(docId);
    const r = suggestions.resolve({ documentId: docId, suggestionId: d.suggestionId, action: 'reject' });
    expect(r).toMatchObject({ head: before.head, revision: before.revision, suggestion: { status: 'rejected' } });
    expect(core.document(docId)).toEqual(before);
    expect(() => suggestions.resolve({ documentId: docId, suggestionId: d.suggestionId, action: 'accept' })).toThrow(
      /already rejected/,
    );
  });

  it('refuses to accept over text that changed meanwhile, and lands where the writer says when it moved', async () => {
    const sel = { from: 0, to: 'The storm'.length };
    model.handle(() => ({ tokens: ['The tempest'] }));
    const d = done(await run({ operation: 'rewrite', ...sel }));
    expect(d).toMatchObject({ from: 0, to: 9, text: 'The tempest' });
    // Someone typed before the selection: the old range no longer holds "The storm".
    core.apply({
      documentId: docId,
      edits: [{ author: HUMAN_AUTHOR_ID, kind: 'human', operation: 'type', from: 0, to: 0, insert: '> ' }],
    });
    const moved = core.document(docId).text;
    expect(() => suggestions.resolve({ documentId: docId, suggestionId: d.suggestionId, action: 'accept' })).toThrow(
      /has changed since it was made/,
    );
    expect(core.document(docId).text).toBe(moved);
    expect(suggestions.list(docId)[0]!.status).toBe('pending');
    suggestions.resolve({ documentId: docId, suggestionId: d.suggestionId, action: 'accept', from: 2 });
    expect(core.document(docId).text).toBe(`> The tempest came in the night.\nWe waited by the door`);
  });

  it('a stale expectedHead applies nothing and leaves the suggestion pending', async () => {
    const d = done(await run({}));
    expect(() =>
      suggestions.resolve({
        documentId: docId,
        suggestionId: d.suggestionId,
        action: 'accept',
        expectedHead: 'f'.repeat(64),
      }),
    ).toThrow(/changed elsewhere/);
    expect(core.document(docId).text).toBe(DRAFT);
    expect(suggestions.list(docId)[0]!.status).toBe('pending');
  });

  it('builds each operation’s prompt over the selection and says what it holds', async () => {
    model.handle(() => ({ tokens: ['\n  Better words.  '] }));
    const from = 4;
    const to = 9; // "storm"
    const polish = done(await run({ operation: 'polish', from, to }));
    expect(polish).toMatchObject({ text: 'Better words.', from, to });
    expect(userMessage()).toContain('Improve the wording');
    expect(userMessage()).toContain('<passage>\nstorm\n</passage>');
    expect(userMessage()).toContain('<before>\nThe \n</before>');

    const rewrite = await run({ operation: 'rewrite', from, to });
    expect(rewrite[0]).toMatchObject({
      type: 'context',
      description: `The 4 characters before the selection, the selection (5 characters) and the ${DRAFT.length - 9} characters after it.`,
      chars: DRAFT.length,
    });
    expect(userMessage()).toContain('Rewrite the passage');

    // Extend without a selection develops the cursor's paragraph and goes after it as a new line.
    const extend = done(await run({ operation: 'extend', from: 6, to: 6 }));
    expect(extend).toMatchObject({ from: 28, to: 28, text: '\nBetter words.' });
    expect(userMessage()).toContain('<passage>\nThe storm came in the night.\n</passage>');

    const summary = done(await run({ operation: 'summarize', from: DRAFT.length, to: DRAFT.length }));
    expect(summary.text).toBe('\nBetter words.');
    expect(userMessage()).toContain(`<document>\n${DRAFT}\n</document>`);
    const summarizeSel = await run({ operation: 'summarize', from: 0, to: 28 });
    expect(summarizeSel[0]).toMatchObject({ description: 'The selection (28 characters).', chars: 28 });
    expect(done(summarizeSel)).toMatchObject({ from: 28, to: 28 });

    const instr = done(await run({ operation: 'instruction', from, to, instruction: 'Make it French' }));
    expect(instr).toMatchObject({ from, to });
    expect(userMessage()).toContain('Apply this instruction to the passage: Make it French');

    // In chat style a continuation sees the text before the cursor last, and gets a space after a word.
    model.handle(() => ({ tokens: ['and', ' listened.'] }));
    const cont = await run({ style: 'chat' });
    expect(userMessage().endsWith(`The text to continue:\n${DRAFT}`)).toBe(true);
    expect(done(cont).text).toBe(' and listened.');
    expect(
      cont
        .filter((e) => e.type === 'token')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe(' and listened.');
  });

  it('bounds the context and says what was left out', async () => {
    const long = `${'a'.repeat(9_000)}😀${'b'.repeat(3_000)}`;
    core.apply({
      documentId: docId,
      edits: [{ author: HUMAN_AUTHOR_ID, kind: 'human', operation: 'type', from: 0, to: DRAFT.length, insert: long }],
    });
    const afterEmoji = 9_002; // the emoji is the pair at 9000–9001
    const events = await run({ from: afterEmoji, to: afterEmoji, context: { maxBefore: 100 } });
    expect(events[0]).toMatchObject({
      type: 'context',
      description: 'The last 100 characters before the cursor.',
      chars: 100,
    });
    const r = model.requests.at(-1)!;
    expect(r.kind === 'completion' && r.prompt).toBe(`${'a'.repeat(98)}😀`);

    // A cut never leaves half a surrogate pair.
    await run({ from: 9_002, to: 9_002, context: { maxBefore: 1 } });
    expect(model.requests.at(-1)).toMatchObject({ prompt: '' });
    await run({ from: 9_002, to: 9_002, context: { maxBefore: 2 } });
    expect(model.requests.at(-1)).toMatchObject({ prompt: '😀' });

    await run({ operation: 'rewrite', from: 0, to: 200, context: { maxBefore: 10, maxAfter: 50 } });
    expect(userMessage()).toContain(`<after>\n${'a'.repeat(50)}\n</after>`);

    const tooLong = await run({ operation: 'rewrite', from: 0, to: 12_001 });
    expect(tooLong).toEqual([
      { type: 'error', code: 'bad_request', message: 'The selection has 12,001 characters; select at most 12,000.' },
    ]);
  });

  it('stops when aborted: no text change, suggestion failed with reason aborted, generation recorded', async () => {
    model.handle(() => ({ tokens: Array.from({ length: 200 }, () => ' word'), delayMs: 5 }));
    const stop = new AbortController();
    const events: SuggestEvent[] = [];
    for await (const e of suggestions.suggest(
      { documentId: docId, authorId: muse, operation: 'continue', from: 0, to: 0 },
      stop.signal,
    )) {
      events.push(e);
      if (events.filter((x) => x.type === 'token').length === 3) stop.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'aborted' });
    expect(core.document(docId).text).toBe(DRAFT);
    const [s] = suggestions.list(docId);
    expect(s).toMatchObject({ status: 'failed', errorCode: 'aborted', text: ' word word word' });
    const gen = store.db.prepare('SELECT finish_reason FROM generations WHERE id = ?').get(s!.generationId);
    expect(gen).toEqual({ finish_reason: 'abort' });
    expect(model.open).toBe(0);
  });

  it('a consumer that leaves mid-stream stops the model and records the suggestion as aborted', async () => {
    model.handle(() => ({ tokens: Array.from({ length: 200 }, () => ' word'), delayMs: 5 }));
    const it = suggestions.suggest({ documentId: docId, authorId: muse, operation: 'continue', from: 0, to: 0 });
    await it.next(); // context
    await it.next(); // first token
    await it.return(undefined);
    expect(model.open).toBe(0);
    expect(suggestions.list(docId)).toMatchObject([{ status: 'failed', errorCode: 'aborted', text: ' word' }]);
    expect(core.document(docId).text).toBe(DRAFT);
  });

  it('turns every failure into an error event with an LLM code and a sentence', async () => {
    expect(await run({ authorId: 'model_nobody' })).toEqual([
      { type: 'error', code: 'model_missing', message: 'There is no author model_nobody: choose a model author.' },
    ]);
    expect(await run({ authorId: HUMAN_AUTHOR_ID })).toEqual([
      { type: 'error', code: 'model_missing', message: 'Me is not a model author: choose one from the list.' },
    ]);
    expect(await run({ documentId: 'doc_missing' })).toMatchObject([{ type: 'error', code: 'not_found' }]);
    expect(await run({ operation: 'polish', from: 3, to: 3 })).toEqual([
      { type: 'error', code: 'bad_request', message: 'Select the text to polish first.' },
    ]);
    expect(await run({ operation: 'instruction', from: 0, to: 3, instruction: '  ' })).toMatchObject([
      { type: 'error', code: 'bad_request' },
    ]);
    expect(await run({ from: 0, to: 999 })).toMatchObject([{ type: 'error', code: 'bad_request' }]);

    // The model itself fails after two tokens (the model file went missing).
    model.handle(() => ({
      tokens: ['a', 'b', 'c'],
      fail: new LlmError('model_missing', 'The model tiny is not installed.'),
      failAfter: 2,
    }));
    const failed = await run({});
    expect(failed.at(-1)).toMatchObject({
      type: 'error',
      code: 'model_missing',
      message: 'The model tiny is not installed.',
    });
    // An endpoint that is down.
    const ep = await endpoints.add({ name: 'down', baseUrl: 'http://127.0.0.1:1/v1' });
    const remote = authors.createModelAuthor({ name: 'Remote', provider: `endpoint:${ep.id}`, model: 'm' }).id;
    const down = await run({ authorId: remote });
    expect(down[0]).toMatchObject({ type: 'context' });
    expect(down.at(-1)).toMatchObject({ type: 'error', code: 'unreachable' });
    expect((down.at(-1) as { message: string }).message).not.toBe('');
    // A model that writes nothing.
    model.handle(() => ({ tokens: ['  '] }));
    expect((await run({ style: 'chat' })).at(-1)).toMatchObject({ type: 'error', code: 'bad_response' });

    expect(core.document(docId).text).toBe(DRAFT);
    expect(suggestions.list(docId).map((s) => [s.status, s.errorCode])).toEqual([
      ['failed', 'model_missing'],
      ['failed', 'unreachable'],
      ['failed', 'bad_response'],
    ]);
  });

  it('runs alternatives from several authors at once on one document', async () => {
    const scribe = authors.createModelAuthor({ name: 'Scribe', provider: 'local', model: 'tiny' }).id;
    const bard = authors.createModelAuthor({ name: 'Bard', provider: 'local', model: 'tiny' }).id;
    model.handle((r) => ({ tokens: [` by ${r.authorId}`, '.'], delayMs: 10 }));
    const runs = [muse, scribe, bard].map((authorId) => run({ authorId }));
    const results = await Promise.all(runs);
    const texts = results.map((r) => done(r).text);
    expect(texts).toEqual([` by ${muse}.`, ` by ${scribe}.`, ` by ${bard}.`]);
    // Accepting one leaves the others pending (and rejectable).
    suggestions.resolve({ documentId: docId, suggestionId: done(results[1]!).suggestionId, action: 'accept' });
    suggestions.resolve({ documentId: docId, suggestionId: done(results[0]!).suggestionId, action: 'reject' });
    const status = Object.fromEntries(suggestions.list(docId).map((s) => [s.authorId, s.status]));
    expect(status).toEqual({ [muse]: 'rejected', [scribe]: 'accepted', [bard]: 'pending' });
    expect(core.provenance(docId).spans.at(-1)).toMatchObject({ author: 'Scribe' });
  });
});
