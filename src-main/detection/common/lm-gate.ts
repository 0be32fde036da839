/**
 * The sanity gate a local language model must pass before its view may move a detection verdict:
 * enough parameters, and a plausible perplexity on a fixed English reference text written for the
 * project. A tiny or broken model (the 260K-parameter TinyStories test model) is refused with a
 * reason a teacher can read. Pure: the checks capability, the CLI and the Detect view share it.
 */

/** Fewer parameters than this and zero-shot criteria (Fast-DetectGPT, Binoculars) are close to chance. */
export const MIN_LM_PARAMETERS = 1_000_000_000;
/** A model that finds plain English this surprising does not model English well enough to judge it. */
export const MAX_REFERENCE_PERPLEXITY = 60;

/**
 * Plain, varied English prose, written for Palimpsest (not from any corpus, so no model has it
 * memorised): a model that knows English predicts it well, one that does not finds it surprising.
 */
export const REFERENCE_TEXT = `The library on Mill Street opens at nine, but most mornings a small queue has formed by half past eight. Some people come for the newspapers, which are still delivered in a bundle tied with string. Others come to use the computers, because not everyone has a reliable connection at home. The librarian, who has worked there for almost twenty years, knows many of them by name.

Last winter the heating failed for a week. Instead of closing, the staff brought in blankets and served hot tea from a flask, and the reading room was busier than ever. When the council later proposed shorter opening hours to save money, the same people wrote letters, signed a petition and filled the public gallery at the meeting. The proposal was withdrawn. Nobody claims that a library can solve every problem in a town, but it is one of the few places where anyone may sit for as long as they like without being asked to buy something.`;

export interface LmGateInput {
  /** Parameters counted from the model file's tensors; null when unknown. */
  parameters: number | null;
  /** Perplexity on REFERENCE_TEXT; null when it could not be measured. */
  referencePerplexity: number | null;
}

export interface LmGateResult extends LmGateInput {
  usable: boolean;
  /** Why the model may not move verdicts (one sentence); null when usable. */
  reason: string | null;
}

/** "0.26 M", "1.1 B". */
export function formatParameters(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} B`;
  if (n >= 1e6) return `${n >= 1e8 ? Math.round(n / 1e6) : (n / 1e6).toFixed(2)} M`;
  return `${Math.round(n / 1e3)} K`;
}

export function judgeLmGate(input: LmGateInput): LmGateResult {
  const { parameters, referencePerplexity } = input;
  let reason: string | null = null;
  if (parameters === null) reason = 'the size of this model could not be read from its file, so it cannot be checked';
  else if (parameters < MIN_LM_PARAMETERS)
    reason = `this model has ${formatParameters(parameters)} parameters; detection needs at least ${formatParameters(MIN_LM_PARAMETERS)}`;
  else if (referencePerplexity === null || !Number.isFinite(referencePerplexity))
    reason = 'this model could not score the English reference text';
  else if (referencePerplexity > MAX_REFERENCE_PERPLEXITY)
    reason = `this model finds plain English too surprising (perplexity ${Math.round(referencePerplexity)} on the reference text; at most ${MAX_REFERENCE_PERPLEXITY} is needed)`;
  return { ...input, usable: reason === null, reason: reason === null ? null : `Not usable for detection: ${reason}.` };
}

/** Perplexity from per-token natural-log probabilities. */
export function perplexityOf(logprobs: readonly number[]): number | null {
  if (logprobs.length === 0) return null;
  return Math.exp(-logprobs.reduce((a, b) => a + b, 0) / logprobs.length);
}

/** "This model's view raised the score from 41% to 58%." */
export function describeLmShift(before: number, after: number): string {
  const p = (x: number): string => `${Math.round(x * 100)}%`;
  if (Math.round(before * 100) === Math.round(after * 100)) return `This model's view left the score at ${p(after)}.`;
  return `This model's view ${after > before ? 'raised' : 'lowered'} the score from ${p(before)} to ${p(after)}.`;
}
