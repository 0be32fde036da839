import type { CheckSummary } from '../../../../src-main/checks';
import type { CalibrationProfile } from '../../../../src-main/detection';
import { pct } from './format';

/** Longest text a check accepts (detection's MAX_CHARS; the API refuses longer ones). */
export const MAX_TEXT_CHARS = 2_000_000;

/** Why a pasted text cannot be checked as it is, or null when it can. */
export function textLimitReason(text: string): string | null {
  if (text.length <= MAX_TEXT_CHARS) return null;
  return `The text is too long to check: ${text.length.toLocaleString('en')} characters, at most ${MAX_TEXT_CHARS.toLocaleString('en')}. Check it in parts, or save it as a file and choose it.`;
}

/**
 * The line under a check's name in Recent checks: what it holds, when (to the second) and a short
 * id, so two checks with the same name started in the same minute can be told apart.
 */
export function historyMeta(c: CheckSummary, statusText = ''): string {
  const when = new Date(c.createdAt).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const what = c.kind === 'batch' ? `${c.total} file${c.total === 1 ? '' : 's'}` : 'text';
  return [what, when, `#${shortId(c.id)}`, statusText].filter(Boolean).join(' · ');
}

/** The last 4 characters of an id (ids are random: enough to tell recent checks apart). */
export const shortId = (id: string): string => id.replace(/[^a-z0-9]/gi, '').slice(-4);

/** What fitting a calibration profile actually changed, in one sentence for its card. */
export function calibrationChange(report: CalibrationProfile['report']): string {
  const { before, after } = report;
  const moved = Math.abs(after.threshold - before.threshold) > 1e-9;
  const ratesMoved = !same(after.fpr, before.fpr) || !same(after.tpr, before.tpr);
  const thr = moved ? `the threshold moved from ${pct(before.threshold)} to ${pct(after.threshold)}` : '';
  if (report.slopeFitted) {
    // Rates unchanged at the same threshold: the fitted scaling was not kept (or changed nothing).
    if (!moved && !ratesMoved) return 'Nothing changed: the scaling and the threshold stayed as they were.';
    return moved
      ? `Scaling refitted and ${thr}.`
      : `Scaling refitted; the threshold stayed at ${pct(after.threshold)}.`;
  }
  return moved
    ? `Too few texts to refit the scaling: only ${thr}.`
    : `Too few texts to refit the scaling, and the threshold stayed at ${pct(after.threshold)}: this profile changes nothing yet.`;
}

const same = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) < 1e-9;
