import { describe, expect, it } from 'vitest';
import type { DetectionResult } from '../detection';
import { highlight, renderReport } from './report';
import type { CheckDetail, CheckItem } from './types';

const TEXT = 'First paragraph by a person.\n\nSecond paragraph, suspiciously polished & <fluent>.';

function result(over: Partial<DetectionResult> = {}): DetectionResult {
  return {
    verdict: 'llm',
    operating_point: 'strict',
    inconclusive_from: 0.5,
    structure: 'suffix',
    score_meaning: null,
    role: 'polished',
    role_probs: { human: 0.2, polished: 0.5, extended: 0.2, generated: 0.1 },
    involvement: 0.4,
    ai_probability: 0.81,
    confidence_band: [0.7, 0.9],
    threshold: 0.6,
    abstained: false,
    caveat: 'Likely revised by an LLM (81% likelihood). This is a statistical estimate, not proof.',
    word_count: 12,
    language: 'en',
    segments: [
      {
        start: 0,
        end: 28,
        role: 'human',
        verdict: 'human',
        involvement: 0.05,
        ai_probability: 0.1,
        authorship_change: false,
        word_count: 5,
      },
      {
        start: 30,
        end: TEXT.length,
        role: 'polished',
        verdict: 'llm',
        involvement: 0.7,
        ai_probability: 0.9,
        authorship_change: true,
        word_count: 7,
      },
    ],
    ...over,
  };
}

const item = (
  position: number,
  source: string,
  r: DetectionResult | null,
  error: CheckItem['error'] = null,
): CheckItem => ({
  checkId: 'chk_1',
  position,
  source,
  wordCount: r?.word_count ?? null,
  result: r,
  error,
  scoredAt: 1,
  text: TEXT,
});

function check(items: CheckItem[]): CheckDetail {
  return {
    id: 'chk_1',
    name: 'Class 9B essays',
    kind: 'batch',
    status: 'succeeded',
    jobId: null,
    profileId: null,
    profileName: null,
    createdAt: 0,
    total: items.length,
    done: items.length,
    failed: 0,
    items,
  };
}

describe('renderReport', () => {
  it('shows a single document: verdict, figures, caveat, chart, escaped highlighted text', () => {
    const html = renderReport(check([item(0, 'essay.txt', result())]), {
      threshold: 0.6,
      profileName: null,
      now: new Date(0),
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(
      '<b>LLM involvement likely</b> — if an LLM was involved, most likely human text that an LLM seems to have revised',
    );
    expect(html).toContain('81%');
    expect(html).toContain('likely between 70% and 90%');
    expect(html).toContain('<p class="caveat"><b>Caveat:</b> Likely revised by an LLM');
    expect(html).toContain('aria-label="Involvement and AI-likelihood along essay.txt"');
    expect(html).toContain('&amp; &lt;fluent&gt;');
    expect(html).toContain('class="seg l4 llm change"');
    expect(html).toContain('@media print');
    expect(html).not.toContain('<h2>Summary</h2>'); // no batch summary for one document
    expect(html).not.toMatch(/<script|src=|href="http/);
  });

  it('shows a batch: summary counts, histogram, table, abstentions and unreadable files explained', () => {
    const short = result({
      abstained: true,
      abstain_reason: 'too_short',
      role: 'human',
      caveat: 'Too short to judge reliably: 12 words, at least 80 are needed.',
      ai_probability: 0.5,
    });
    const html = renderReport(
      check([
        item(0, 'a.txt', result()),
        item(1, 'b.txt', short),
        item(2, 'c.pdf', null, { code: 'corrupt_file', userMessage: 'This .pdf file is damaged.' }),
      ]),
      { threshold: 0.6, profileName: 'Class 9B', now: new Date(0) },
    );
    expect(html).toContain('<h2>Summary</h2>');
    expect(html).toContain(
      '2 checked: <b>1</b> with likely LLM involvement, 0 without, 1 without a verdict, 1 could not be read.',
    );
    expect(html).toContain('aria-label="Number of documents by AI-likelihood"');
    expect(html).toContain('no verdict (too short)');
    expect(html).toContain('Too short to judge: short texts do not carry enough signal');
    expect(html).toContain('This .pdf file is damaged.');
    expect(html).toContain('profile “Class 9B” (threshold 60%)');
    expect(html.match(/<section class="doc"/g)).toHaveLength(3);
  });

  it('highlights segments in order and leaves gaps as plain text', () => {
    const out = highlight('ab cd', [
      {
        start: 3,
        end: 5,
        role: 'generated',
        verdict: 'llm',
        involvement: 1,
        ai_probability: 0.99,
        authorship_change: false,
        word_count: 1,
      },
      {
        start: 0,
        end: 2,
        role: 'human',
        verdict: 'human',
        involvement: 0,
        ai_probability: 0.01,
        authorship_change: false,
        word_count: 1,
      },
    ]);
    expect(out).toMatch(/^<mark class="seg l0"[^>]*>ab<\/mark> <mark class="seg l4 llm"[^>]*>cd<\/mark>$/);
  });
});
