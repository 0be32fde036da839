import { describe, expect, it } from 'vitest';
import type { ProvenanceSpan } from '../../../../src-main/authoring/common/contract';
import type { SegmentResult } from '../../../../src-main/detection/types';
import { authorColor, authorColors, HUMAN_COLOR, tint } from '../../../../src-main/authorship/common/author-colors';
import { comparePassages } from './passages';
import { authorShares, operationShares, sharePct } from './shares';
import { timelineGeometry } from './timeline-chart';

const span = (
  start: number,
  end: number,
  authorId: string,
  operation: ProvenanceSpan['operation'],
): ProvenanceSpan => ({
  start,
  end,
  author: authorId === 'human:me' ? 'Me' : authorId,
  authorId,
  kind: authorId === 'human:me' ? 'human' : 'model',
  operation,
});

describe('author colours', () => {
  it('uses the stored colour, else a stable palette pick by id, and the human colour for the human', () => {
    expect(authorColor('model_x', '#ABCDEF')).toBe('#abcdef');
    expect(authorColor('human:me')).toBe(HUMAN_COLOR);
    expect(authorColor('model_x', 'not a colour')).toBe(authorColor('model_x'));
    expect(authorColor('model_x')).toMatch(/^#[0-9a-f]{6}$/);
    expect(authorColor('model_x')).toBe(authorColor('model_x'));
  });

  it('gives the authors of one document different colours even when their stored ones clash', () => {
    const m = authorColors([
      { authorId: 'human:me', color: '#2d3436' },
      { authorId: 'model_a', color: '#4b7bec' },
      { authorId: 'model_b', color: '#4b7bec' },
      { authorId: 'model_c', color: '#4b7bec' },
    ]);
    expect(new Set(m.values()).size).toBe(4);
    expect(m.get('model_a')).toBe('#4b7bec');
  });

  it('tints a colour for backgrounds', () => {
    expect(tint('#ff8000', 0.25)).toBe('rgba(255, 128, 0, 0.25)');
  });
});

describe('shares', () => {
  it('sums characters per author id, largest first', () => {
    const spans = [
      span(0, 10, 'human:me', 'type'),
      span(10, 40, 'model_a', 'continue'),
      span(40, 50, 'human:me', 'paste'),
    ];
    expect(authorShares(spans)).toEqual([
      { authorId: 'model_a', author: 'model_a', kind: 'model', chars: 30, share: 0.6 },
      { authorId: 'human:me', author: 'Me', kind: 'human', chars: 20, share: 0.4 },
    ]);
    expect(authorShares([])).toEqual([]);
  });

  it('labels operations, marks LLM ones and drops empty ones', () => {
    expect(operationShares({ type: 0.3, continue: 0.5, 'edited-after-llm': 0.2, paste: 0 })).toEqual([
      { operation: 'continue', label: 'LLM: continue', share: 0.5, model: true },
      { operation: 'type', label: 'Typed', share: 0.3, model: false },
      { operation: 'edited-after-llm', label: 'Edited after LLM', share: 0.2, model: false },
    ]);
  });

  it('writes small shares so they do not read as zero', () => {
    expect(sharePct(0.0004)).toBe('<0.1%');
    expect(sharePct(0.034)).toBe('3.4%');
    expect(sharePct(0.666)).toBe('67%');
    expect(sharePct(0)).toBe('0%');
  });
});

describe('detector comparison', () => {
  const seg = (start: number, end: number, p: number, role: SegmentResult['role']): SegmentResult => ({
    start,
    end,
    ai_probability: p,
    role,
    involvement: p,
    verdict: role === 'human' ? 'human' : 'llm',
    authorship_change: false,
    word_count: 10,
  });
  const base = { threshold: 0.5, ai_probability: 0.6, role: 'extended' as const, abstained: false };

  it('says why and gives no numbers when the detector abstained', () => {
    const c = comparePassages(
      { passages: [{ start: 0, end: 10, llmShare: 1 }] },
      { ...base, abstained: true, abstain_reason: 'too_short', segments: [] },
    );
    expect(c).toEqual({ abstained: true, reason: 'too_short' });
  });

  it('weights overlapping segments by coverage and checks agreement per passage', () => {
    const c = comparePassages(
      {
        passages: [
          { start: 0, end: 100, llmShare: 0 },
          { start: 100, end: 200, llmShare: 0.9 },
          { start: 200, end: 300, llmShare: 0.8 },
          { start: 300, end: 300, llmShare: 0 },
        ],
      },
      { ...base, segments: [seg(0, 150, 0.2, 'human'), seg(150, 200, 0.8, 'generated'), seg(250, 300, 0.3, 'human')] },
    );
    if (c.abstained) throw new Error('expected a verdict');
    expect(c.passages).toHaveLength(3);
    expect(c.passages[0]).toMatchObject({ detector: { aiProbability: 0.2, role: 'human' }, agrees: true });
    expect(c.passages[1]!.detector!.aiProbability).toBeCloseTo(0.5);
    expect(c.passages[1]).toMatchObject({ agrees: true });
    expect(c.passages[2]).toMatchObject({ detector: { aiProbability: 0.3, role: 'human' }, agrees: false });
    expect([c.agreed, c.judged]).toEqual([2, 3]);
  });

  it('uses the document verdict for every passage when there are no segments, and none where nothing covers', () => {
    const whole = comparePassages({ passages: [{ start: 0, end: 50, llmShare: 1 }] }, { ...base, segments: [] });
    expect(!whole.abstained && whole.passages[0]).toMatchObject({ detector: { aiProbability: 0.6 }, agrees: true });
    const gap = comparePassages(
      { passages: [{ start: 500, end: 600, llmShare: 1 }] },
      { ...base, segments: [seg(0, 10, 1, 'generated')] },
    );
    expect(!gap.abstained && gap.passages[0]).toMatchObject({ detector: null, agrees: null });
    expect(!gap.abstained && gap.judged).toBe(0);
  });
});

describe('timeline chart', () => {
  const box = { width: 200, height: 100, left: 0, right: 0, top: 0, bottom: 0 };

  it('stacks authors so the top edge is the text length, on a time axis', () => {
    const g = timelineGeometry(
      [
        { step: 0, at: 1_000, counts: {} },
        { step: 1, at: 2_000, counts: { h: 10 } },
        { step: 2, at: 3_000, counts: { h: 10, m: 10 } },
      ],
      ['h', 'm'],
      box,
    );
    expect(g.axis).toBe('time');
    expect(g.maxChars).toBe(20);
    expect(g.areas.map((a) => a.authorId)).toEqual(['h', 'm']);
    // m's band: top edge at 20 chars (y = 0) at the end, bottom on h's top (y = 50).
    expect(g.areas[1]!.path).toBe('M0,100 L100,50 L200,0 L200,50 L100,50 L0,100 Z');
    expect(g.xOf(1, 2_000)).toBe(100);
  });

  it('spaces events evenly when they all have the same time', () => {
    const g = timelineGeometry(
      [
        { step: 0, at: 5, counts: {} },
        { step: 4, at: 5, counts: { h: 3 } },
      ],
      [],
      box,
    );
    expect(g.axis).toBe('events');
    expect(g.xOf(2, 5)).toBe(100);
    expect(g.areas).toHaveLength(1);
  });
});
