/**
 * LM-assisted detection plumbing against a real model: stories260K (llama2.c, TinyStories),
 * converted to GGUF into a temp dir, scored through the local engine, combined with the shipped
 * ONNX detector. Needs the shared models folder: $PALIMPSEST_SHARED (default <repo>/../shared).
 * A 260 K-parameter model says nothing about real LLM text: these tests check the plumbing and the
 * direction of each feature, not detection quality.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineWithLm, createDetector, lmFeatures, type Detector } from '../../src-main/detection';
import { LlmError } from '../../src-main/llm/errors';
import { readGgufInfo } from '../../src-main/llm/gguf';
import { convertLlama2cToGguf } from '../../src-main/llm/llama2c';
import { scoreText, type TextScore } from '../../src-main/llm/local';
import { LocalModel } from '../../src-main/llm/local/local-model';

const shared = process.env.PALIMPSEST_SHARED ?? resolve(import.meta.dirname, '../../../shared');
const modelDir = join(shared, 'models/stories260K');
const available = existsSync(join(modelDir, 'stories260K.bin')) && existsSync(join(modelDir, 'tok512.bin'));
if (!available)
  console.warn(`lm-assist tests skipped: ${modelDir} not found (set PALIMPSEST_SHARED to the shared folder)`);

const STORY = 'Once upon a time, there was a little girl named Lily. She loved to play outside.';
/** The same words in a fixed scrambled order. */
const SHUFFLED = 'outside. girl Lily. to a named time, She there upon little was a Once play loved';
/** Random letters in words of similar lengths. */
const RANDOM = 'Qzx vbnk a jwrp, gqlv fxs a mtwzkd hpqr yvnrd Zkqp. Wxb hjqvd zo fmry gtwvnzc.';
/** Long enough (≥ 80 words) for the shipped detector not to abstain. */
const LONG_STORY =
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends. ' +
  'One day, she saw a big red ball under a tree. She wanted to play with it, so she ran to get it. ' +
  'Her mom said, "Be careful, Lily!" Lily smiled and said, "I will, Mom." She kicked the ball and it went very high. ' +
  'Her friend Tom ran to get it. They played all day and had lots of fun. When the sun went down, ' +
  'they went home. Lily was happy and tired. She said good night to her mom and went to sleep.';
const LONG_SHUFFLED = LONG_STORY.split(' ')
  .map((w, i) => ({ w, k: (i * 37) % 101 }))
  .sort((a, b) => a.k - b.k)
  .map((x) => x.w)
  .join(' ');

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.skipIf(!available)('LM-assisted detection on stories260K', () => {
  let dir: string;
  let path: string;
  let llama: Llama;
  let detector: Detector;
  const scores = new Map<string, TextScore>();
  const score = async (text: string): Promise<TextScore> => {
    let s = scores.get(text);
    if (!s) {
      s = await scoreText(path, text, { llama });
      scores.set(text, s);
    }
    return s;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palimpsest-lm-assist-'));
    path = join(dir, 'stories260K.gguf');
    await convertLlama2cToGguf({
      checkpoint: join(modelDir, 'stories260K.bin'),
      tokenizer: join(modelDir, 'tok512.bin'),
      output: path,
    });
    // One CPU Llama shared by every call (creating one per call costs seconds); one thread, as the engine uses.
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.warn, maxThreads: 1 });
    detector = await createDetector();
  });
  afterAll(async () => {
    await detector?.dispose();
    await llama?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives one finite log-probability ≤ 0 per text token (first one given BOS), deterministically', async () => {
    const s = await score(STORY);
    expect(s.tokens).toBeGreaterThan(10);
    // stories260K has a BOS token, so every text token is scored: logprobs.length === tokens.
    expect(s.logprobs).toHaveLength(s.tokens);
    for (const key of ['expectedLogprob', 'variance', 'entropy'] as const) expect(s[key]).toHaveLength(s.tokens);
    for (let i = 0; i < s.tokens; i++) {
      expect(s.logprobs[i]).toBeLessThanOrEqual(0);
      expect(Number.isFinite(s.logprobs[i])).toBe(true);
      expect(s.variance[i]).toBeGreaterThanOrEqual(0);
      expect(s.entropy[i]).toBeCloseTo(-s.expectedLogprob[i]!, 10);
      expect(s.entropy[i]).toBeLessThanOrEqual(Math.log(512) + 1e-6); // vocabulary of 512
    }
    expect(s.truncated).toBe(false);
    expect(await scoreText(path, STORY, { llama })).toEqual(s);
  });

  it('scores the TinyStories sentence above its shuffled and random-letter versions', async () => {
    const story = lmFeatures(await score(STORY));
    for (const other of [SHUFFLED, RANDOM]) {
      const f = lmFeatures(await score(other));
      expect(story.meanLogprob).toBeGreaterThan(f.meanLogprob + 1);
      expect(story.fastDetectGptScore).toBeGreaterThan(f.fastDetectGptScore + 3);
    }
    expect(mean((await score(STORY)).logprobs)).toBeCloseTo(story.meanLogprob, 10);
  });

  it('truncates at maxTokens and at the model context, and reports it', async () => {
    const short = await scoreText(path, STORY, { llama, maxTokens: 5 });
    expect(short).toMatchObject({ tokens: 5, truncated: true });
    expect(short.logprobs).toEqual((await score(STORY)).logprobs.slice(0, 5));
    const long = await scoreText(path, LONG_STORY.repeat(6), { llama, maxTokens: 4096 });
    // 512-token training context: BOS + 510 text tokens + the one cell llama.cpp keeps free.
    expect(long).toMatchObject({ tokens: 510, truncated: true });
    expect(long.logprobs).toHaveLength(510);
  });

  it('scores on a loaded engine model without touching an author sequence', async () => {
    const info = await readGgufInfo(path);
    const local = await LocalModel.load(llama, 'stories260K', info, { contextSize: 512, sequences: 2, threads: 1 });
    try {
      const author = await local.pool.acquire('author');
      await author.sequence.evaluateWithoutGeneratingNewTokens(local.model.tokenize('Once upon a time'));
      const held = author.sequence.nextTokenIndex;
      author.release();
      expect(await scoreText(local, STORY)).toEqual(await score(STORY));
      expect(local.pool.keys()).toEqual(['author']);
      expect(local.pool.peek('author')?.nextTokenIndex).toBe(held);
    } finally {
      await local.dispose();
    }
  });

  it('reports a cancelled scoring and a missing model as typed errors', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = await scoreText(path, STORY, { llama, signal: controller.signal }).catch((e: unknown) => e);
    expect(LlmError.isInstance(aborted) && aborted.code).toBe('aborted');
    const missing = await scoreText(join(dir, 'absent.gguf'), STORY, { llama }).catch((e: unknown) => e);
    expect(LlmError.isInstance(missing) && missing.code).toBe('model_missing');
  });

  it('combines with the shipped detector: off by default, abstentions kept, shift follows the criterion', async () => {
    const plain = await detector.detect(LONG_STORY);
    expect(plain.abstained).toBe(false);
    expect(plain).not.toHaveProperty('lm_assisted'); // the default path never involves an LM

    const story = lmFeatures(await score(LONG_STORY));
    const shuffled = lmFeatures(await score(LONG_SHUFFLED));
    expect(story.fastDetectGptScore).toBeGreaterThan(shuffled.fastDetectGptScore);
    for (const f of [story, shuffled]) {
      const combined = combineWithLm(plain, f, { weight: 1 });
      expect(combined.lm_assisted).toBe(true);
      expect(combined.threshold).toBe(plain.threshold);
      expect(Math.sign(combined.lm_logit_shift)).toBe(Math.sign(f.fastDetectGptScore));
      expect(Math.sign(combined.ai_probability - plain.ai_probability)).toBe(Math.sign(f.fastDetectGptScore));
      expect(Math.abs(combined.lm_logit_shift)).toBeLessThanOrEqual(1);
    }
    // Scrambled text is less predictable than the model's own samples: it moves towards "human".
    expect(shuffled.fastDetectGptScore).toBeLessThan(0);

    const short = await detector.detect(STORY);
    expect(short).toMatchObject({ abstained: true, abstain_reason: 'too_short' });
    const kept = combineWithLm(short, lmFeatures(await score(STORY)), { weight: 2 });
    expect(kept).toMatchObject({ abstained: true, lm_assisted: false, lm_logit_shift: 0 });
    expect(kept.ai_probability).toBe(short.ai_probability);
    expect(kept.role).toBe(short.role);
  });
});
