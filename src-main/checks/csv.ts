import { shownNumbers } from '../detection/common/agreement';
import type { CheckDetail } from './types';

const COLUMNS = [
  'file',
  'words',
  'verdict',
  'ai_likelihood',
  'band_low',
  'band_high',
  'threshold',
  'involvement',
  'p_human',
  'p_polished',
  'p_extended',
  'p_generated',
  'segments',
  'segments_llm_like',
  'abstained',
  'abstain_reason',
  'caveat',
  'error',
] as const;

/**
 * One row per document. Probabilities are plain decimals (0–1) so spreadsheets can sort and
 * chart them; the caveat travels with every verdict. Starts with a BOM for Excel.
 */
export function checksToCsv(check: CheckDetail): string {
  const rows: string[][] = [[...COLUMNS]];
  for (const item of check.items) {
    const r = item.result;
    if (!r) {
      rows.push([
        item.source,
        '',
        item.error ? 'error' : 'pending',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        item.error?.userMessage ?? '',
      ]);
      continue;
    }
    const n = shownNumbers(r);
    rows.push([
      item.source,
      String(r.word_count),
      r.abstained ? 'abstained' : r.verdict === 'llm' ? r.role : r.verdict,
      // No numbers for an abstained result (common/agreement.ts).
      n ? num(n.aiProbability) : '',
      n ? num(n.band[0]) : '',
      n ? num(n.band[1]) : '',
      num(r.threshold),
      n ? num(n.involvement) : '',
      n ? num(n.roleProbs.human) : '',
      n ? num(n.roleProbs.polished) : '',
      n ? num(n.roleProbs.extended) : '',
      n ? num(n.roleProbs.generated) : '',
      String(r.segments.length),
      String(r.segments.filter((s) => s.verdict === 'llm').length),
      r.abstained ? 'yes' : 'no',
      r.abstain_reason ?? '',
      r.caveat,
      '',
    ]);
  }
  return '\uFEFF' + rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

const num = (x: number): string => (Math.round(x * 10000) / 10000).toString();

/**
 * RFC 4180 quoting, plus a guard against spreadsheet formula injection: a file named
 * `=HYPERLINK(...)` must not run as a formula when a teacher opens the export.
 */
export function cell(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
