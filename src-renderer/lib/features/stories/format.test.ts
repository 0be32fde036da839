import { describe, expect, it } from 'vitest';
import type { StoryPart } from '../../../../src-main/stories/common/contract';
import { batchTag, modelLabel, partStats } from './format';

describe('stories format', () => {
  it('shows the model id without its provider ref', () => {
    expect(modelLabel('endpoint:ep_f00b/ada-7b')).toBe('ada-7b');
    expect(modelLabel('pool:lab/meta-llama/Llama-2-13b')).toBe('meta-llama/Llama-2-13b');
    expect(modelLabel('local/stories260K')).toBe('stories260K');
    expect(modelLabel('gpt-4o')).toBe('gpt-4o');
    expect(modelLabel(null)).toBe('');
  });

  it('tags a batch by the start of its id', () => {
    expect(batchTag('batch_k3j9x2q7')).toBe('k3j9x2');
    expect(batchTag('b1')).toBe('b1');
  });

  it('says how many prompt tokens a part reused and evaluated', () => {
    const p: StoryPart = {
      index: 0,
      authorId: 'a',
      authorName: 'A',
      model: null,
      text: 'x',
      words: 183,
      promptHash: null,
      promptTokens: 400,
      reusedTokens: 360,
      completionTokens: 240,
      timeToFirstTokenMs: 35.4,
      totalMs: 4100,
      attempts: 1,
      generationId: null,
    };
    expect(partStats(p)).toBe(
      '183 words · 400 prompt tokens: 360 reused (90 %), 40 evaluated · 240 generated · first token 35 ms · 4.1 s',
    );
    expect(
      partStats({ ...p, words: 1, promptTokens: 0, completionTokens: 0, timeToFirstTokenMs: null, totalMs: null }),
    ).toBe('1 word');
  });
});
