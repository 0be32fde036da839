import type { Role } from '../../../../src-main/detection';

/** Plain-language role names (the HTML report in src-main/checks/report.ts uses the same words). */
export const ROLE_LABELS: Record<Role, string> = {
  human: 'Human-written',
  polished: 'LLM-polished',
  extended: 'LLM-extended',
  generated: 'LLM-generated',
};

export const ROLE_HINTS: Record<Role, string> = {
  human: 'No strong sign that an LLM took part.',
  polished: 'Human text that an LLM seems to have revised or rephrased.',
  extended: 'A human start that an LLM seems to have continued.',
  generated: 'Text that an LLM seems to have written from a prompt.',
};

export const ROLES: readonly Role[] = ['human', 'polished', 'extended', 'generated'];

export const ABSTAIN_LABELS: Record<string, string> = {
  too_short: 'Too short to judge',
  unsupported_language: 'Not English',
};

export const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** Highlight strength 0–4 for an AI-likelihood (the colour steps of `.seg.l0`…`.l4`). */
export const level = (p: number): number => Math.min(4, Math.floor(p * 5));

/** The base name of a path or file name. */
export const baseName = (s: string): string => s.split(/[\\/]/).pop() ?? s;

export function eta(ms: number | null): string {
  if (ms === null) return '';
  const s = Math.round(ms / 1000);
  return s < 60 ? `about ${s}s left` : `about ${Math.floor(s / 60)}m ${s % 60}s left`;
}

/** Saves text as a file through the browser (also works in Electron, which asks where to save). */
export function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file-name-safe version of a check name. */
export const slug = (s: string): string =>
  s
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'check';
