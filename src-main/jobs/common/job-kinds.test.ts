import { describe, expect, it } from 'vitest';
import { JOB_KIND_LABELS, JOB_KINDS, jobKindLabel } from './job-kinds';
import { isJobActive } from './job-status';

describe('job kinds and states shared with the UI', () => {
  it('gives every kind a human label and never shows a raw kind', () => {
    for (const kind of Object.values(JOB_KINDS)) expect(JOB_KIND_LABELS[kind]).toMatch(/^[A-Z][a-z]/);
    expect(jobKindLabel('models.download')).toBe('Downloading a model');
    expect(jobKindLabel('stories.generate')).toBe('Background job');
  });

  it('counts only queued and running jobs as active', () => {
    expect(
      ['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((status) => isJobActive({ status } as never)),
    ).toEqual([true, true, false, false, false]);
  });
});
