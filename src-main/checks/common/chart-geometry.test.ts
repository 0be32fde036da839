import { describe, expect, it } from 'vitest';
import type { DetectionResult } from '../../detection/types';
import { histogramGeometry, involvementGeometry, likelihoodBins, type ChartBox } from './chart-geometry';

const BOX: ChartBox = { width: 120, height: 60, left: 10, right: 10, top: 5, bottom: 5 };

const result = (segments: DetectionResult['segments']): DetectionResult => ({
  verdict: 'llm',
  operating_point: 'strict',
  inconclusive_from: 0.5,
  structure: 'uniform',
  score_meaning: null,
  role: 'polished',
  role_probs: { human: 0.1, polished: 0.7, extended: 0.1, generated: 0.1 },
  involvement: 0.5,
  ai_probability: 0.8,
  confidence_band: [0.7, 0.9],
  threshold: 0.5,
  abstained: false,
  caveat: '',
  word_count: 100,
  language: 'en',
  segments,
});

const seg = (start: number, end: number, involvement: number, ai: number, change = false) => ({
  start,
  end,
  involvement,
  ai_probability: ai,
  role: 'human' as const,
  verdict: 'human' as const,
  authorship_change: change,
  word_count: 10,
});

describe('chart geometry shared by the report and the UI', () => {
  it('draws involvement steps and the AI-likelihood line along the text', () => {
    const g = involvementGeometry(result([seg(0, 50, 0, 0.2), seg(50, 100, 1, 0.9, true)]), 100, BOX);
    // Plot: x 10..110 for characters 0..100, y 55 (0%) .. 5 (100%).
    expect(g.area).toBe('M10,55 L10,55 L60,55 L60,5 L110,5 L110,55 Z');
    expect(g.line).toBe('M10,45 L60,45 L60,10 L110,10');
    expect(g.thresholdY).toBe(30);
    expect(g.changes).toEqual([60]);
    expect(g.grid.map((t) => t.label)).toEqual(['0%', '50%', '100%']);
  });

  it('draws a text without segments as one step with the document figures', () => {
    const g = involvementGeometry(result([]), 100, BOX);
    expect(g.area).toBe('M10,55 L10,30 L110,30 L110,55 Z');
    expect(g.changes).toEqual([]);
  });

  it('bins AI-likelihood in tenths, 100% in the top bin, abstentions left out', () => {
    const bins = likelihoodBins([
      { abstained: false, ai_probability: 0 },
      { abstained: false, ai_probability: 0.95 },
      { abstained: false, ai_probability: 1 },
      { abstained: true, ai_probability: 0.5 },
    ]);
    expect(bins).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
  });

  it('scales bars to the fullest bin and marks the bands above the threshold', () => {
    const g = histogramGeometry([1, 0, 0, 0, 0, 0, 0, 0, 0, 2], 0.6, BOX, 1);
    expect(g.bars[9]).toMatchObject({ count: 2, label: '90–100%', x: 101, width: 8, height: 50, y: 5, high: true });
    expect(g.bars[0]).toMatchObject({ label: '0–10%', height: 25, high: false });
    expect(g.bars.map((b) => b.high).indexOf(true)).toBe(6);
    expect(g.thresholdX).toBe(70);
    expect(histogramGeometry(new Array(10).fill(0), null, BOX, 1).thresholdX).toBeNull();
  });
});
