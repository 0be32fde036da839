import { describe, expect, it } from 'vitest';
import type { CheckSummary } from '../../../../src-main/checks';
import { calibrationChange, historyMeta, MAX_TEXT_CHARS, textLimitReason } from './labels';

const summary = (id: string, over: Partial<CheckSummary> = {}): CheckSummary =>
  ({
    id,
    name: 'essays',
    kind: 'batch',
    status: 'succeeded',
    jobId: null,
    profileId: null,
    profileName: null,
    createdAt: Date.UTC(2026, 0, 5, 10, 30, 12),
    total: 3,
    done: 3,
    failed: 0,
    ...over,
  }) as CheckSummary;

describe('historyMeta', () => {
  it('tells apart two checks with the same name started in the same minute', () => {
    const a = historyMeta(summary('chk_aaaa1111'));
    const b = historyMeta(summary('chk_bbbb2222', { createdAt: Date.UTC(2026, 0, 5, 10, 30, 12) }));
    expect(a).not.toBe(b);
    expect(a).toMatch(/^3 files · .*:30:12.* · #1111$/);
    expect(historyMeta(summary('chk_x', { kind: 'text', total: 1 }), 'running')).toMatch(/^text · .* · running$/);
  });
});

describe('calibrationChange', () => {
  const rates = (threshold: number, fpr = 0.1, tpr = 0.8) => ({ threshold, fpr, tpr });
  it('does not claim the threshold moved when it did not', () => {
    const s = calibrationChange({
      nHuman: 2,
      nLlm: 1,
      skipped: 0,
      before: rates(0.7),
      after: rates(0.7),
      slopeFitted: false,
    });
    expect(s).not.toContain('only the threshold moved');
    expect(s).toContain('threshold stayed at 70%');
  });
  it('says how far the threshold moved', () => {
    const s = calibrationChange({
      nHuman: 2,
      nLlm: 1,
      skipped: 0,
      before: rates(0.7),
      after: rates(0.85),
      slopeFitted: false,
    });
    expect(s).toBe('Too few texts to refit the scaling: only the threshold moved from 70% to 85%.');
  });
  it('says nothing changed when a fitted scaling was not kept', () => {
    const s = calibrationChange({
      nHuman: 9,
      nLlm: 9,
      skipped: 0,
      before: rates(0.7),
      after: rates(0.7),
      slopeFitted: true,
    });
    expect(s).toMatch(/^Nothing changed/);
    const r = calibrationChange({
      nHuman: 9,
      nLlm: 9,
      skipped: 0,
      before: rates(0.7),
      after: rates(0.7, 0.05),
      slopeFitted: true,
    });
    expect(r).toBe('Scaling refitted; the threshold stayed at 70%.');
  });
});

describe('textLimitReason', () => {
  it('refuses a text over the limit, with the reason', () => {
    expect(textLimitReason('a'.repeat(MAX_TEXT_CHARS))).toBeNull();
    expect(textLimitReason('a'.repeat(5_000_000))).toMatch(
      /too long to check: 5,000,000 characters, at most 2,000,000/,
    );
  });
});
