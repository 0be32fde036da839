/** The words for detection roles and abstentions, shared by the HTML report, the CLI and the UI. */
import type { AbstainReason, Role } from '../../detection/types';

/** The four roles, from no LLM involvement to a text an LLM wrote. */
export const ROLES: readonly Role[] = ['human', 'polished', 'extended', 'generated'];

/** Plain-language names of the roles. */
export const ROLE_LABELS: Record<Role, string> = {
  human: 'Human-written',
  polished: 'LLM-polished',
  extended: 'LLM-extended',
  generated: 'LLM-generated',
};

/** One clause per role saying what the verdict means (lower case, no full stop). */
export const ROLE_EXPLANATIONS: Record<Role, string> = {
  human: 'no strong sign that an LLM took part',
  polished: 'human text that an LLM seems to have revised or rephrased',
  extended: 'a human start that an LLM seems to have continued',
  generated: 'text that an LLM seems to have written from a prompt',
};

/** Short names of the reasons for giving no verdict. */
export const ABSTAIN_LABELS: Record<AbstainReason, string> = {
  too_short: 'Too short to judge',
  unsupported_language: 'Not English',
};

/** One sentence per reason for giving no verdict. */
export const ABSTAIN_EXPLANATIONS: Record<AbstainReason, string> = {
  too_short: 'Too short to judge: short texts do not carry enough signal, so no verdict is given.',
  unsupported_language: 'Not English: the detector was trained on English text, so no verdict is given.',
};

/** A probability as a whole percentage, e.g. 0.426 → "43%". */
export const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** Highlight strength 0–4 for an AI-likelihood (the colour steps `l0`…`l4` of highlighted passages). */
export const highlightLevel = (p: number): number => Math.min(4, Math.floor(p * 5));
