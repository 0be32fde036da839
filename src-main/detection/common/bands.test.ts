import { describe, expect, it } from 'vitest';
import type { DetectionResult } from '../types';
import { agreeWithVerdict, shownNumbers } from './agreement';
import { boundarySentence, caveatFor } from './caveat';
import { describeMeaning, scoreMeaning, verdictFor, type ScoreDistribution } from './bands';
import { judgeLmGate, MIN_LM_PARAMETERS } from './lm-gate';
import {
  documentStructure,
  llmSideLogit,
  MIN_BOUNDARY_GAP,
  roleFromStructure,
  STYLE_CHANGE_WEIGHT,
  verdictWithBoundary,
} from './structure';

const band = { flag: 0.77, floor: 0.72 };

function result(over: Partial<DetectionResult>): DetectionResult {
  return {
    verdict: 'human',
    operating_point: 'strict',
    inconclusive_from: band.floor,
    role: 'generated',
    structure: 'uniform',
    score_meaning: null,
    role_probs: { human: 0.1, polished: 0.2, extended: 0.3, generated: 0.4 },
    involvement: 0.7,
    ai_probability: 0.5,
    confidence_band: [0.4, 0.6],
    threshold: band.flag,
    abstained: false,
    caveat: '',
    word_count: 200,
    language: 'en',
    segments: [
      {
        start: 0,
        end: 10,
        role: 'human',
        verdict: 'human',
        involvement: 0.1,
        ai_probability: 0.2,
        authorship_change: false,
        word_count: 100,
      },
      {
        start: 10,
        end: 20,
        role: 'generated',
        verdict: 'llm',
        involvement: 0.9,
        ai_probability: 0.9,
        authorship_change: true,
        word_count: 100,
      },
    ],
    ...over,
  };
}

describe('verdict bands', () => {
  it('puts scores in the three bands at the edges', () => {
    expect(verdictFor(0.71, band)).toBe('human');
    expect(verdictFor(0.72, band)).toBe('inconclusive');
    expect(verdictFor(0.769, band)).toBe('inconclusive');
    expect(verdictFor(0.77, band)).toBe('llm');
  });
});

describe('agreement rules', () => {
  it('keeps role human and no tint or boundary under a human verdict', () => {
    const r = agreeWithVerdict(result({ verdict: 'human' }));
    expect(r.role).toBe('human');
    expect(r.segments.every((s) => s.role === 'human' && s.verdict === 'human' && !s.authorship_change)).toBe(true);
  });
  it('keeps role human under inconclusive and caps passages at the document band', () => {
    const r = agreeWithVerdict(result({ verdict: 'inconclusive' }));
    expect(r.role).toBe('human');
    expect(r.segments.map((s) => s.verdict)).toEqual(['human', 'inconclusive']);
    expect(r.segments.every((s) => s.role === 'human')).toBe(true);
  });
  it('lets the role through only for an llm verdict', () => {
    const r = agreeWithVerdict(result({ verdict: 'llm' }));
    expect(r.role).toBe('generated');
    expect(r.segments[1]!.role).toBe('generated');
    expect(r.segments[1]!.authorship_change).toBe(true);
  });
  it('shows no numbers for an abstained result and gives no role', () => {
    const r = agreeWithVerdict(
      result({ verdict: 'llm', abstained: true, abstain_reason: 'too_short', word_count: 12 }),
    );
    expect(r.role).toBe('human');
    expect(r.verdict).toBe('inconclusive');
    expect(shownNumbers(r)).toBeNull();
    const c = caveatFor(r, 80);
    expect(c).toContain('Too short');
    expect(c).not.toMatch(/%/);
    expect(shownNumbers(result({}))).not.toBeNull();
  });
  it('describes an llm verdict with what the score means and the role as a conditional', () => {
    const r = agreeWithVerdict(
      result({
        verdict: 'llm',
        role: 'extended',
        score_meaning: {
          humanShare: 0.004,
          llmShare: 0.31,
          humanAtOrBelow: 0.998,
          llmAtOrBelow: 0.72,
          minWords: 150,
          maxWords: 300,
        },
      }),
    );
    const c = caveatFor(r, 80);
    expect(c).toContain('LLM involvement likely');
    expect(c).toContain('Human texts of 150–300 words score this high <1% of the time; LLM-involved texts 31%');
    expect(c).toContain('If an LLM was involved, most likely it continued');
  });
});

describe('score meaning', () => {
  const dist: ScoreDistribution = {
    grid: [0, 0.5, 0.8],
    buckets: [{ minWords: 80, maxWords: 300, human: [1, 0.2, 0.01], llm: [1, 0.7, 0.3], nHuman: 10, nLlm: 10 }],
  };
  it('reads the share at or above the score from its length bucket', () => {
    expect(scoreMeaning(dist, 100, 0.85)).toMatchObject({ humanShare: 0.01, llmShare: 0.3 });
    expect(scoreMeaning(dist, 100, 0.6)).toMatchObject({ humanShare: 0.2, llmShare: 0.7 });
    expect(scoreMeaning(dist, 400, 0.6)).toBeNull();
  });
  it('tells a low score from below: how often texts score this low or lower', () => {
    const low = scoreMeaning(dist, 100, 0.05)!;
    expect(low).toMatchObject({ humanShare: 1, humanAtOrBelow: 0.8 });
    expect(low.llmAtOrBelow).toBeCloseTo(0.3);
    expect(describeMeaning(low)).toBe(
      'Human texts of 80–300 words score this low or lower 80% of the time; LLM-involved texts 30%.',
    );
    expect(describeMeaning(scoreMeaning(dist, 100, 0.85)!)).toBe(
      'Human texts of 80–300 words score this high 1% of the time; LLM-involved texts 30%.',
    );
  });
});

describe('mixed-document structure', () => {
  const seg = (logit: number, words = 100) => ({ words, logit });
  it('finds a human start continued by an LLM', () => {
    const s = documentStructure([seg(-1.5), seg(-1.2), seg(1.4), seg(1.6)], 0);
    expect(s.kind).toBe('suffix');
    expect(s.firstLlm).toBe(2);
    expect(s.change).toEqual([false, false, true, false]);
    expect(roleFromStructure(s.kind, [0, 0.5, 0.1, 0.4])).toBe(2);
  });
  it('finds an LLM passage pasted into human writing', () => {
    const s = documentStructure([seg(-1.5), seg(1.8), seg(-1.4)], 0);
    expect(s.kind).toBe('block');
    expect(s.change).toEqual([false, true, true]);
  });
  it('reports no boundary for evidence spread evenly, and lets the role head pick polished or generated', () => {
    const s = documentStructure([seg(1.1), seg(1.2), seg(1.0)], 0);
    expect(s.kind).toBe('uniform');
    expect(s.change.every((c) => !c)).toBe(true);
    expect(roleFromStructure(s.kind, [0, 0.2, 0.5, 0.3])).toBe(3);
    expect(roleFromStructure(s.kind, [0, 0.4, 0.5, 0.1])).toBe(1);
  });
  it('ignores a boundary with a side too short to score', () => {
    expect(documentStructure([seg(-1.5, 200), seg(2, 20)], 0).kind).toBe('uniform');
  });
  describe('with the style-change signal', () => {
    const on = { styleWeight: 1 };
    // Human side -0.2, LLM side chosen so the evidence gap sits just under / over MIN_BOUNDARY_GAP.
    const pair = (gap: number, changeBefore?: number) => [
      seg(-0.2),
      changeBefore === undefined ? seg(gap - 0.2) : { ...seg(gap - 0.2), changeBefore },
    ];
    it('makes a boundary the evidence alone only hints at', () => {
      expect(documentStructure(pair(MIN_BOUNDARY_GAP - 0.1), 0, on).kind).toBe('uniform');
      expect(documentStructure(pair(MIN_BOUNDARY_GAP - 0.1, 0.5), 0, on).kind).toBe('uniform');
      const made = documentStructure(pair(MIN_BOUNDARY_GAP - 0.1, 0.95), 0, on);
      expect(made.kind).toBe('suffix');
      expect(made.change).toEqual([false, true]);
    });
    it('breaks a weak boundary where the style does not change', () => {
      expect(documentStructure(pair(MIN_BOUNDARY_GAP + 0.1), 0, on).kind).toBe('suffix');
      expect(documentStructure(pair(MIN_BOUNDARY_GAP + 0.1, 0.05), 0, on).kind).toBe('uniform');
    });
    it('moves an ambiguous boundary to where the style changes', () => {
      // Splitting before segment 1 or before segment 2 gives the same evidence gap (1.6).
      const ev = (c1: number, c2: number) => [
        seg(-1),
        { ...seg(-0.2), changeBefore: c1 },
        { ...seg(1), changeBefore: c2 },
        { ...seg(1), changeBefore: 0.5 },
      ];
      expect(documentStructure(ev(0.1, 0.9), 0, on).firstLlm).toBe(2);
      expect(documentStructure(ev(0.9, 0.1), 0, on).firstLlm).toBe(1);
    });
    it('is ignored at weight 0, the shipped weight while it does not help out of source', () => {
      expect(documentStructure(pair(MIN_BOUNDARY_GAP - 0.1, 0.95), 0, { styleWeight: 0 }).kind).toBe('uniform');
      expect(documentStructure(pair(MIN_BOUNDARY_GAP - 0.1, 0.95), 0).kind).toBe(
        STYLE_CHANGE_WEIGHT * 0.45 >= 0.1 ? 'suffix' : 'uniform',
      );
    });
  });
});

describe('a mixed document under a human verdict', () => {
  const seg = (logit: number, words = 100) => ({ words, logit });
  const logit = (p: number) => Math.log(p / (1 - p));
  // A human start (p ≈ 0.2) continued by an LLM side at p 0.75 and 0.76: the document as a whole
  // (word-weighted) stays below the floor 0.72, the LLM side alone reaches it.
  const ev = [seg(logit(0.2)), seg(logit(0.2)), seg(logit(0.75)), seg(logit(0.76))];
  const docP = 1 / (1 + Math.exp(-ev.reduce((a, s) => a + s.logit, 0) / ev.length));
  it('is raised to inconclusive when the LLM side reaches the floor on its own', () => {
    expect(verdictFor(docP, band)).toBe('human');
    const st = documentStructure(ev, 0);
    expect(st.kind).toBe('suffix');
    const side = 1 / (1 + Math.exp(-llmSideLogit(ev, st)!));
    expect(side).toBeCloseTo(0.755, 3);
    expect(verdictWithBoundary('human', side, band)).toBe('inconclusive');
  });
  it('is never raised to llm by the side alone, and never lowered', () => {
    expect(verdictWithBoundary('human', 0.99, band)).toBe('inconclusive');
    expect(verdictWithBoundary('llm', 0.5, band)).toBe('llm');
    expect(verdictWithBoundary('inconclusive', null, band)).toBe('inconclusive');
  });
  it('stays human when the side is below the floor or there is no boundary', () => {
    expect(verdictWithBoundary('human', 0.71, band)).toBe('human');
    const even = [seg(logit(0.6)), seg(logit(0.62)), seg(logit(0.61))];
    const st = documentStructure(even, 0);
    expect(st.kind).toBe('uniform');
    expect(llmSideLogit(even, st)).toBeNull();
    expect(verdictWithBoundary('human', null, band)).toBe('human');
  });
  it('keeps the boundary and the side under inconclusive, with roles human, and says where in words', () => {
    const side = { ai_probability: 0.755, opening: 'Furthermore, summer vacations offer…' };
    const raised = agreeWithVerdict(
      result({ verdict: 'inconclusive', structure: 'suffix', role: 'extended', ai_probability: 0.4, llm_side: side }),
    );
    expect(raised.role).toBe('human');
    expect(raised.segments.map((s) => [s.verdict, s.role, s.authorship_change])).toEqual([
      ['human', 'human', false],
      ['inconclusive', 'human', true],
    ]);
    expect(raised.llm_side).toEqual(side);
    expect(caveatFor(raised, 80)).toBe(
      'Inconclusive. The text as a whole scores like human writing, but the part from ‘Furthermore, summer vacations offer…’ on reads differently from the start: an LLM may have continued it. A statistical estimate, not proof.',
    );
    const block = { ...raised, structure: 'block' as const, ai_probability: 0.73 };
    expect(boundarySentence(block)).toBe(
      'The passage from ‘Furthermore, summer vacations offer…’ reads differently from the writing around it: an LLM may have added it.',
    );
  });
  it('drops the side with the boundary under a human verdict or when abstained', () => {
    const side = { ai_probability: 0.6, opening: 'x' };
    const human = agreeWithVerdict(result({ verdict: 'human', structure: 'suffix', llm_side: side }));
    expect(human.llm_side).toBeUndefined();
    expect(boundarySentence({ ...human, llm_side: side })).toBeNull();
    expect(agreeWithVerdict(result({ abstained: true, llm_side: side })).llm_side).toBeUndefined();
  });
});

describe('LM sanity gate', () => {
  it('refuses a 260K-parameter model with the reason in plain words', () => {
    const g = judgeLmGate({ parameters: 260_000, referencePerplexity: 900 });
    expect(g.usable).toBe(false);
    expect(g.reason).toBe('Not usable for detection: this model has 260 K parameters; detection needs at least 1.0 B.');
  });
  it('refuses a big model that finds English too surprising', () => {
    const g = judgeLmGate({ parameters: 7e9, referencePerplexity: 300 });
    expect(g.usable).toBe(false);
    expect(g.reason).toContain('perplexity 300');
  });
  it('accepts a big model with a plausible perplexity', () => {
    expect(judgeLmGate({ parameters: MIN_LM_PARAMETERS, referencePerplexity: 12 })).toMatchObject({
      usable: true,
      reason: null,
    });
  });
});
