/**
 * Local engine against a real model: stories260K (llama2.c), converted to GGUF into a temp dir.
 * Needs the shared models folder: $PALIMPSEST_SHARED (default <repo>/../shared).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Sub-barrels rather than src-main/llm/index.ts, so these tests do not depend on the other backends.
import { readGgufInfo } from '../../src-main/llm/gguf';
import { convertLlama2cToGguf } from '../../src-main/llm/llama2c';
import { createLocalProvider, type LocalProvider } from '../../src-main/llm/local';
import { LlmError } from '../../src-main/llm/errors';
import type { GenerationPart, GenerationRequest } from '../../src-main/llm/provider';

const shared = process.env.PALIMPSEST_SHARED ?? resolve(import.meta.dirname, '../../../shared');
const modelDir = join(shared, 'models/stories260K');
const available = existsSync(join(modelDir, 'stories260K.bin')) && existsSync(join(modelDir, 'tok512.bin'));
if (!available)
  console.warn(`llm-local tests skipped: ${modelDir} not found (set PALIMPSEST_SHARED to the shared folder)`);

const EXPECTED = 'Once upon a time, there was a little girl named Lily.';
type Finish = Extract<GenerationPart, { type: 'finish' }>;

describe.skipIf(!available)('local engine on stories260K', () => {
  let dir: string;
  let provider: LocalProvider;
  const model = 'stories260K';
  const greedy = { kind: 'completion', model, temperature: 0 } as const;

  async function collect(
    request: GenerationRequest,
    signal?: AbortSignal,
  ): Promise<{ parts: GenerationPart[]; text: string; finish: Finish }> {
    const parts: GenerationPart[] = [];
    for await (const part of provider.generate(request, signal)) parts.push(part);
    const finish = parts.at(-1);
    if (finish?.type !== 'finish') throw new Error('no finish part');
    const text = parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
    return { parts, text, finish };
  }

  async function errorOf(request: GenerationRequest): Promise<LlmError> {
    const e = await collect(request).then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!LlmError.isInstance(e)) throw new Error(`expected an LlmError, got ${String(e)}`);
    return e;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palimpsest-llm-local-'));
    await convertLlama2cToGguf({
      checkpoint: join(modelDir, 'stories260K.bin'),
      tokenizer: join(modelDir, 'tok512.bin'),
      output: join(dir, `${model}.gguf`),
    });
    // 3 sequences so the eviction test can run out of them; 1 thread (shared CI cores).
    provider = createLocalProvider({ modelsDir: dir, contextSize: 512, sequences: 3, threads: 1 });
  });
  afterAll(async () => {
    await provider?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('converted model carries llama2.c hyper-parameters', async () => {
    const info = await readGgufInfo(join(dir, `${model}.gguf`));
    expect(info).toMatchObject({ architecture: 'llama', contextLength: 512 });
    expect(info.metadata).toMatchObject({
      'llama.embedding_length': 64,
      'llama.block_count': 5,
      'llama.attention.head_count_kv': 4,
    });
    expect(await provider.listModels()).toEqual([{ id: model, contextLength: 512 }]);
  });

  it('greedy decoding from BOS reproduces llama2.c (so no Q/K RoPE permutation is needed)', async () => {
    const { text, finish } = await collect({ ...greedy, prompt: '', maxTokens: 16, authorId: 'greedy' });
    expect(text.startsWith(EXPECTED)).toBe(true);
    expect(finish).toMatchObject({ reason: 'length', usage: { promptTokens: 1, completionTokens: 16 } });
  });

  it('streams several text parts then exactly one finish, with timings', async () => {
    const { parts, finish } = await collect({
      ...greedy,
      prompt: 'Once upon a time',
      maxTokens: 20,
      authorId: 'stream',
    });
    expect(parts.filter((p) => p.type === 'text').length).toBeGreaterThan(5);
    expect(parts.filter((p) => p.type === 'finish')).toHaveLength(1);
    expect(finish.timings.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(finish.timings.totalMs).toBeGreaterThanOrEqual(finish.timings.timeToFirstTokenMs);
    expect(finish.timings.tokensPerSecond).toBeGreaterThan(0);
  });

  it('honours maxTokens and stop sequences (stop string excluded)', async () => {
    const limited = await collect({ ...greedy, prompt: '', maxTokens: 5, authorId: 'limits' });
    expect(limited.finish).toMatchObject({ reason: 'length', usage: { completionTokens: 5 } });
    const stopped = await collect({ ...greedy, prompt: '', maxTokens: 50, stop: ['Lily', 'zzz'], authorId: 'limits' });
    expect(stopped.text).toBe('Once upon a time, there was a little girl named ');
    expect(stopped.finish.reason).toBe('stop');
  });

  it('aborting ends the stream with reason abort, keeping the text delivered so far', async () => {
    const controller = new AbortController();
    const texts: string[] = [];
    let finish: Finish | undefined;
    for await (const part of provider.generate(
      { ...greedy, prompt: '', maxTokens: 200, authorId: 'abort' },
      controller.signal,
    )) {
      if (part.type === 'text') {
        texts.push(part.text);
        if (texts.length === 3) controller.abort();
      } else finish = part;
    }
    expect(finish?.reason).toBe('abort');
    expect(texts.length).toBe(3);
    expect(finish!.usage.completionTokens).toBeLessThan(10);
  });

  it('same seed and settings give the same sampled text', async () => {
    const request = {
      kind: 'completion',
      model,
      prompt: 'Once upon a time',
      temperature: 0.9,
      seed: 42,
      maxTokens: 30,
    } as const;
    const a = await collect({ ...request, authorId: 'seed-a' });
    const b = await collect({ ...request, authorId: 'seed-b' });
    expect(a.text).toBe(b.text);
  });

  it('returns per-token logprobs aligned with the text', async () => {
    const { parts } = await collect({
      ...greedy,
      prompt: 'Once upon a',
      maxTokens: 8,
      logprobs: true,
      authorId: 'logprobs',
    });
    for (const p of parts) {
      if (p.type !== 'text') continue;
      expect(p.logprobs?.map((l) => l.token).join('')).toBe(p.text);
      for (const l of p.logprobs ?? []) expect(l.logprob).toBeLessThanOrEqual(0);
    }
    expect(parts[0]).toMatchObject({ type: 'text', text: ' time' });
  });

  it('reuses an author KV cache: the next turn evaluates only the new tokens, with the same output', async () => {
    const first = await collect({ ...greedy, prompt: '', maxTokens: 60, authorId: 'writer' });
    expect(first.finish.cache).toEqual({ reusedTokens: 0, evaluatedTokens: 1 });
    // Another author writes in between (on its own sequence), then the first continues the text.
    await collect({ ...greedy, prompt: first.text, maxTokens: 10, authorId: 'other' });
    const prompt = `${first.text} The sun was shining.`;
    const turn = await collect({ ...greedy, prompt, maxTokens: 20, authorId: 'writer' });
    const cache = turn.finish.cache!;
    expect(cache.reusedTokens + cache.evaluatedTokens).toBe(turn.finish.usage.promptTokens);
    // Everything A evaluated (BOS + 59 of its 60 generated tokens) minus at most a re-tokenized edge.
    expect(cache.reusedTokens).toBeGreaterThanOrEqual(55);
    expect(cache.evaluatedTokens).toBeLessThanOrEqual(12);
    const fresh = await collect({ ...greedy, prompt, maxTokens: 20, authorId: 'fresh-reader' });
    expect(fresh.finish.cache?.reusedTokens).toBe(0);
    expect(turn.text).toBe(fresh.text);
    // Repeating the identical prompt re-evaluates only its last token.
    const again = await collect({ ...greedy, prompt, maxTokens: 20, authorId: 'writer' });
    expect(again.finish.cache?.evaluatedTokens).toBe(1);
    expect(again.text).toBe(turn.text);
  });

  it('maxTokens 0 primes an author cache; a full context ends with length instead of shifting', async () => {
    const story =
      'Once upon a time, there was a little girl named Lily. She loved to play outside in the park. '.repeat(16);
    const primed = await collect({ ...greedy, prompt: story, maxTokens: 0, authorId: 'long' });
    expect(primed.finish).toMatchObject({ reason: 'length', usage: { completionTokens: 0 } });
    const promptTokens = primed.finish.usage.promptTokens;
    expect(promptTokens).toBeGreaterThan(480);
    const full = await collect({ ...greedy, prompt: story, maxTokens: 100, authorId: 'long' });
    expect(full.finish.reason).toBe('length');
    expect(full.finish.cache).toEqual({ reusedTokens: promptTokens - 1, evaluatedTokens: 1 });
    expect(full.finish.usage.completionTokens).toBeLessThanOrEqual(512 - promptTokens);
    // The beginning of the text was not shifted out: the same prompt is still fully cached.
    const again = await collect({ ...greedy, prompt: story, maxTokens: 1, authorId: 'long' });
    expect(again.finish.cache?.reusedTokens).toBe(promptTokens - 1);
  });

  it('runs two authors concurrently on one context with the same results as one at a time', async () => {
    const a = { ...greedy, prompt: 'Once upon a time', maxTokens: 25 };
    const b = { ...greedy, prompt: 'Tom had a red ball', maxTokens: 25 };
    const alone = [await collect({ ...a, authorId: 'par-a' }), await collect({ ...b, authorId: 'par-b' })];
    await provider.evict('par-a');
    await provider.evict('par-b');
    const together = await Promise.all([collect({ ...a, authorId: 'par-a' }), collect({ ...b, authorId: 'par-b' })]);
    expect(together.map((r) => r.text)).toEqual(alone.map((r) => r.text));
  });

  it('prefills a long prompt batch by batch with the same result, and honours an early abort', async () => {
    const small = createLocalProvider({ modelsDir: dir, contextSize: 512, sequences: 1, threads: 1, batchSize: 64 });
    try {
      const story =
        'Once upon a time, there was a little girl named Lily. She loved to play outside in the park. '.repeat(15);
      const request = { ...greedy, prompt: story, maxTokens: 8 };
      let text = '';
      for await (const part of small.generate(request)) if (part.type === 'text') text += part.text;
      expect(text).toBe((await collect({ ...request, authorId: 'batch-ref' })).text);
      const controller = new AbortController();
      controller.abort();
      const parts: GenerationPart[] = [];
      for await (const part of small.generate({ ...request, authorId: 'batch-abort' }, controller.signal))
        parts.push(part);
      expect(parts).toHaveLength(1);
      expect(parts[0]).toMatchObject({ type: 'finish', reason: 'abort', usage: { completionTokens: 0 } });
    } finally {
      await small.dispose();
    }
  });

  it('evicts the least recently used author when sequences run out', async () => {
    await provider.evict(); // start from a clean pool: 3 cleared sequences, no authors
    expect(await provider.cachedAuthors(model)).toEqual([]);
    for (const author of ['e1', 'e2', 'e3'])
      await collect({ ...greedy, prompt: 'Once', maxTokens: 3, authorId: author });
    await collect({ ...greedy, prompt: 'Once', maxTokens: 3, authorId: 'e1' }); // e1 is fresh again; e2 is LRU
    const e4 = await collect({ ...greedy, prompt: 'Once upon', maxTokens: 3, authorId: 'e4' });
    expect(e4.finish.cache?.reusedTokens).toBe(0); // recycled sequence was cleared
    const authors = await provider.cachedAuthors(model);
    expect(authors).toEqual(['e3', 'e1', 'e4']);
  });

  it('runs chat through the model chat template, reusing the earlier turns on the next one', async () => {
    const messages = [
      { role: 'system', content: 'You tell short stories.' },
      { role: 'user', content: 'Tell me a story.' },
    ] as const;
    const first = await collect({
      kind: 'chat',
      model,
      messages: [...messages],
      temperature: 0,
      maxTokens: 10,
      authorId: 'chat',
    });
    expect(first.finish.usage.promptTokens).toBeGreaterThan(5);
    expect(first.finish.usage.completionTokens).toBeGreaterThan(0);
    const next = await collect({
      kind: 'chat',
      model,
      messages: [...messages, { role: 'assistant', content: first.text }, { role: 'user', content: 'Go on.' }],
      temperature: 0,
      maxTokens: 10,
      authorId: 'chat',
    });
    expect(next.finish.cache!.reusedTokens).toBeGreaterThanOrEqual(first.finish.usage.promptTokens);
  });

  it('reports context overflow, missing, truncated and non-GGUF models as typed errors', async () => {
    expect((await errorOf({ ...greedy, prompt: 'Once upon a time '.repeat(200) })).code).toBe('context_overflow');
    expect((await errorOf({ ...greedy, model: 'absent', prompt: 'x' })).code).toBe('model_missing');
    expect((await errorOf({ ...greedy, model: '../escape', prompt: 'x' })).code).toBe('model_missing');
    const bytes = readFileSync(join(dir, `${model}.gguf`));
    writeFileSync(join(dir, 'truncated.gguf'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await errorOf({ ...greedy, model: 'truncated', prompt: 'x' })).code).toBe('invalid_model');
    copyFileSync(join(modelDir, 'stories260K.bin'), join(dir, 'not-gguf.gguf'));
    expect((await errorOf({ ...greedy, model: 'not-gguf', prompt: 'x' })).code).toBe('invalid_model');
    // listModels skips files that fail validation.
    expect((await provider.listModels()).map((m) => m.id)).toEqual([model]);
  });
});
