import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../../src-main/checks';
import type { SegmentResult } from '../../../../src-main/detection';
import {
  humanShareText,
  judgedAt,
  lmShiftText,
  meaningText,
  roleSentence,
  segmentTint,
  showsRoles,
  structureText,
  verdictCounts,
} from './verdict-view';

const seg = (i: number, verdict: SegmentResult['verdict'], change = false): SegmentResult => ({
  start: i * 100,
  end: i * 100 + 90,
  role: verdict === 'llm' ? 'extended' : 'human',
  involvement: verdict === 'llm' ? 0.8 : 0.1,
  ai_probability: verdict === 'llm' ? 0.9 : 0.3,
  verdict,
  authorship_change: change,
  word_count: 70,
});

const result = (over: Partial<CheckResult> = {}): CheckResult => ({
  verdict: 'llm',
  operating_point: 'strict',
  inconclusive_from: 0.725,
  role: 'extended',
  structure: 'suffix',
  score_meaning: {
    humanShare: 0.004,
    llmShare: 0.41,
    humanAtOrBelow: 0.998,
    llmAtOrBelow: 0.62,
    minWords: 150,
    maxWords: 300,
  },
  role_probs: { human: 0.1, polished: 0.2, extended: 0.6, generated: 0.1 },
  involvement: 0.5,
  ai_probability: 0.81,
  confidence_band: [0.7, 0.9],
  threshold: 0.765,
  abstained: false,
  caveat: 'LLM involvement likely.',
  word_count: 210,
  language: 'en',
  segments: [seg(0, 'human'), seg(1, 'llm', true), seg(2, 'llm')],
  ...over,
});

describe('verdict view rules', () => {
  it('shows roles only under an llm verdict, and never for an abstained result', () => {
    expect(showsRoles(result())).toBe(true);
    expect(roleSentence(result())).toBe('continued or added to a human text');
    expect(showsRoles(result({ verdict: 'inconclusive', role: 'human' }))).toBe(false);
    // Even a stray role outside `llm` shows no role section.
    expect(showsRoles(result({ verdict: 'human', role: 'generated' }))).toBe(false);
    expect(roleSentence(result({ abstained: true, abstain_reason: 'too_short' }))).toBeNull();
  });

  it('gives no numbers for an abstained result', () => {
    const r = result({ abstained: true, abstain_reason: 'too_short', verdict: 'inconclusive' });
    expect(meaningText(r)).toBeNull();
    expect(humanShareText(r)).toBeNull();
    expect(structureText(r)).toBeNull();
  });

  it('says what a score means and at which operating point it was judged', () => {
    expect(meaningText(result())).toBe(
      'Human texts of 150–300 words score this high <1% of the time; LLM-involved texts 41%.',
    );
    expect(humanShareText(result())).toBe('<1%');
    expect(judgedAt(result())).toBe(
      'Judged at the strict operating point: “LLM involvement likely” from a score of 77, “Inconclusive” from 73.',
    );
    expect(judgedAt(result({ operating_point: 'standard', threshold: 0.725, inconclusive_from: 0.662 }))).toMatch(
      /^Judged at the standard operating point: .* 73, .* 66\.$/,
    );
  });

  it('tints passages only where they cross a band', () => {
    expect(segmentTint(seg(0, 'human'))).toBe('none');
    expect(segmentTint(seg(0, 'inconclusive'))).toBe('inconclusive');
    expect(segmentTint(seg(0, 'llm'))).toBe('llm');
  });

  it('describes a mixed document in words, and says nothing under a human verdict', () => {
    expect(structureText(result())).toBe(
      'Mixed: a human start likely continued by an LLM. Authorship likely changes at passage 2 of 3.',
    );
    const block = result({
      structure: 'block',
      segments: [seg(0, 'human'), seg(1, 'llm', true), seg(2, 'human', true), seg(3, 'human')],
    });
    expect(structureText(block)).toBe('Mixed: an LLM passage likely inside human writing (passage 2 of 4).');
    expect(structureText(result({ verdict: 'inconclusive', role: 'human' }))).toMatch(/possibly continued/);
    // Raised to inconclusive by its LLM side while the whole text scores below the band.
    const raised = result({ verdict: 'inconclusive', role: 'human', ai_probability: 0.4, inconclusive_from: 0.66 });
    expect(structureText(raised)).toBe(
      'Mixed: a human start possibly continued by an LLM. Authorship possibly changes at passage 2 of 3. The text as a whole scores like human writing; only that part scores in the inconclusive band.',
    );
    expect(structureText(result({ verdict: 'human', role: 'human' }))).toBeNull();
    const uniform = result({ structure: 'uniform', role: 'polished', segments: [seg(0, 'llm'), seg(1, 'human')] });
    expect(structureText(uniform)).toMatch(/spread over the text \(1 of 2 passages\)/);
    expect(structureText({ ...uniform, role: 'generated' })).toMatch(/LLM-written throughout/);
    expect(structureText(result({ segments: [seg(0, 'llm')] }))).toBeNull();
  });

  it('words the LM shift as the core does, never as a logit', () => {
    const model = { id: 'big', name: null };
    expect(lmShiftText(result())).toBeNull();
    const r = result({ lm_model: model, lm_assisted: true, lm_logit_shift: 0.4, lm_score_before: 0.41 });
    expect(lmShiftText(r)).toBe("This model's view raised the score from 41% to 81%.");
    expect(lmShiftText({ ...r, lm_shift_note: 'note' })).toBe('note');
    expect(lmShiftText({ ...r, lm_assisted: false })).toBeNull();
  });

  it('counts a batch by the verdict each document shows', () => {
    const c = verdictCounts([
      result(),
      result({ verdict: 'human' }),
      result({ abstained: true, verdict: 'inconclusive' }),
      result({ verdict: 'inconclusive' }),
    ]);
    expect(c).toEqual({ llm: 1, human: 1, inconclusive: 1, abstained: 1 });
  });
});
