import type { Role } from '../../../../src-main/detection';
import { ROLE_EXPLANATIONS, ROLES } from '../../../../src-main/checks/common/roles';

export {
  ABSTAIN_LABELS,
  highlightLevel as level,
  pct,
  ROLE_LABELS,
  ROLES,
} from '../../../../src-main/checks/common/roles';

/** The report's explanation of each role as a sentence, for tooltips and the verdict card. */
export const ROLE_HINTS = Object.fromEntries(
  ROLES.map((r) => [r, `${ROLE_EXPLANATIONS[r][0]!.toUpperCase()}${ROLE_EXPLANATIONS[r].slice(1)}.`]),
) as Record<Role, string>;

/** The base name of a path or file name. */
export const baseName = (s: string): string => s.split(/[\\/]/).pop() ?? s;

export { etaText as eta } from '../../../../src-main/jobs/common/job-progress';

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
