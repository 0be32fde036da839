/**
 * LLM operations in the editor with a real model: stories260K (a base model, llama2.c → GGUF through
 * `llm.importModel`) as a model author on the local engine, driven through the API's local caller
 * (`authoring.suggest`, `authoring.resolveSuggestion`) against the real app and authoring core.
 * Needs the shared models folder: $PALIMPSEST_SHARED (default <repo>/../shared).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCaller } from '../../src-main/api/router';
import { createApp, type App } from '../../src-main/app';
import type { SuggestEvent } from '../../src-main/authoring/operations';
import { HUMAN_AUTHOR_ID } from '../../src-main/authorship/common';
import { tempDir } from '../helpers/temp-dir';

const shared = process.env.PALIMPSEST_SHARED ?? resolve(import.meta.dirname, '../../../shared');
const modelDir = join(shared, 'models/stories260K');
const available = existsSync(join(modelDir, 'stories260K.bin')) && existsSync(join(modelDir, 'tok512.bin'));
if (!available)
  console.warn(
    `authoring operations tests skipped: ${modelDir} not found (set PALIMPSEST_SHARED to the shared folder)`,
  );

const OPENING = 'Once upon a time, there was a little girl named Lily.';

describe.skipIf(!available)('authoring.suggest with stories260K on the local engine', () => {
  let app: App;
  let api: ReturnType<typeof createLocalCaller>;
  let storyteller: string;
  let docId: string;

  beforeAll(async () => {
    app = createApp({ dataDir: tempDir(), startJobs: false });
    api = createLocalCaller({ app, transport: 'local' });
    const model = await api.llm.importModel({ path: join(modelDir, 'stories260K.bin') });
    storyteller = (
      await api.llm.createAuthor({
        name: 'Storyteller',
        provider: 'local',
        model: model.id,
        sampling: { temperature: 0, maxTokens: 24 },
      })
    ).id;
    docId = (await api.documents.create({ title: 'Lily' })).id;
    await api.authoring.applyEdits({
      documentId: docId,
      edits: [{ author: HUMAN_AUTHOR_ID, kind: 'human', operation: 'type', from: 0, to: 0, insert: OPENING }],
    });
  });
  afterAll(async () => {
    await app?.dispose();
  });

  const suggest = async (input: { from: number; to: number }, stopAfterTokens?: number): Promise<SuggestEvent[]> => {
    const events: SuggestEvent[] = [];
    // The signal transports abort when a client unsubscribes (the Stop button).
    const stop = new AbortController();
    const caller = createLocalCaller({ app, transport: 'local' }, { signal: stop.signal });
    const stream = await caller.authoring.suggest({
      documentId: docId,
      authorId: storyteller,
      operation: 'continue',
      ...input,
    });
    for await (const e of stream) {
      events.push(e);
      if (stopAfterTokens !== undefined && events.filter((x) => x.type === 'token').length === stopAfterTokens)
        stop.abort();
    }
    return events;
  };

  it('continue → accept: the model author’s span, linked to its generation, continues the text', async () => {
    const end = OPENING.length;
    const events = await suggest({ from: end, to: end });
    expect(events[0]).toEqual({
      type: 'context',
      description: `The ${end} characters before the cursor.`,
      chars: end,
    });
    const done = events.at(-1)!;
    if (done.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(done)}`);
    expect(done.text.trim().length).toBeGreaterThan(0);
    expect(
      events
        .filter((e) => e.type === 'token')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe(done.text);
    // Nothing changes before the writer accepts.
    expect((await api.authoring.document({ documentId: docId })).text).toBe(OPENING);
    const generation = (await api.llm.generations({ authorId: storyteller }))[0]!;
    expect(generation).toMatchObject({
      id: done.generationId,
      model: 'stories260K',
      documentId: docId,
      finishReason: 'length',
    });

    const accepted = await api.authoring.resolveSuggestion({
      documentId: docId,
      suggestionId: done.suggestionId,
      action: 'accept',
    });
    const p = await api.authoring.provenance({ documentId: docId });
    expect(p.head).toBe(accepted.head);
    expect(p.text).toBe(OPENING + done.text);
    expect(p.spans.at(-1)).toMatchObject({
      start: end,
      end: p.text.length,
      author: 'Storyteller',
      authorId: storyteller,
      kind: 'model',
      operation: 'continue',
    });
    expect(p.shares['Storyteller']).toBeCloseTo(done.text.length / p.text.length, 6);
    const bundle = (await api.authoring.bundle({ documentId: docId })) as {
      events: Array<{ authorId: string; generationId: number | null }>;
    };
    expect(bundle.events.at(-1)).toMatchObject({ authorId: storyteller, generationId: done.generationId });
    expect((await api.authoring.verify({ documentId: docId })).ok).toBe(true);
  });

  it('reject leaves the text and the log unchanged', async () => {
    const before = await api.authoring.document({ documentId: docId });
    const events = await suggest({ from: before.text.length, to: before.text.length });
    const done = events.at(-1)!;
    if (done.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(done)}`);
    const r = await api.authoring.resolveSuggestion({
      documentId: docId,
      suggestionId: done.suggestionId,
      action: 'reject',
    });
    expect(r.head).toBe(before.head);
    expect(await api.authoring.document({ documentId: docId })).toEqual(before);
    const kept = await api.authoring.suggestions({ documentId: docId, status: 'rejected' });
    expect(kept.map((s) => s.id)).toEqual([done.suggestionId]);
  });

  it('stop ends the real generation early, keeps it as failed (aborted) and adds nothing', async () => {
    const before = await api.authoring.document({ documentId: docId });
    const events = await suggest({ from: 0, to: 0 }, 2);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'aborted' });
    expect(await api.authoring.document({ documentId: docId })).toEqual(before);
    const [failed] = await api.authoring.suggestions({ documentId: docId, status: 'failed' });
    expect(failed).toMatchObject({ errorCode: 'aborted', authorId: storyteller });
    const generation = (await api.llm.generations({ authorId: storyteller }))[0]!;
    expect(generation).toMatchObject({ id: failed!.generationId, finishReason: 'abort' });
    expect(generation.completionTokens).toBeLessThan(24);
  });
});
