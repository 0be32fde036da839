import type { Role } from '../../../../src-main/detection';
import { ROLE_EXPLANATIONS, ROLES } from '../../../../src-main/checks/common/roles';
import { fileSlug } from '../../files/save-file';

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

export { saveFile as download } from '../../files/save-file';
export { etaText as eta } from '../../../../src-main/jobs/common/job-progress';

/** A file-name-safe version of a check name. */
export const slug = (s: string): string => fileSlug(s, 'check');
