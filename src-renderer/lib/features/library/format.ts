/** How the Library view writes kinds, counts and times. */
import type { CurationAction, LibraryFileKind } from '../../../../src-main/library/common/contract';

export const KIND_LABELS: Record<LibraryFileKind, string> = {
  pdf: 'PDF',
  docx: 'DOCX',
  html: 'HTML',
  markdown: 'Markdown',
  text: 'Text',
  image: 'Image',
};

export const ACTION_LABELS: Record<CurationAction, string> = {
  pin: 'Pinned',
  unpin: 'Unpinned',
  exclude: 'Excluded',
  unexclude: 'Brought back',
  rate: 'Rated',
  rewrite: 'Rewrote query',
  open: 'Opened in source',
};

/** "1 passage", "3 passages". */
export const count = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** A word count as the Write view's context preview shows it. */
export const wordCount = (text: string): number => text.match(/\S+/g)?.length ?? 0;

/** "14:05" today, "3 Mar 14:05" before. */
export function shortTime(at: number, now = Date.now()): string {
  const d = new Date(at);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return new Date(now).toDateString() === d.toDateString()
    ? time
    : `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}

/** A score as shown beside a hit: 3 significant digits. */
export const score = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
