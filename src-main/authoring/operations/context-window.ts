import { AppError } from '../../core/app-error';

/** How much of the document a model sees around the cursor or selection (UTF-16 code units). */
export interface ContextBounds {
  /** Characters before the cursor/selection (default 6,000). */
  maxBefore: number;
  /** Characters after it (default 1,000). */
  maxAfter: number;
  /** The most selected text an operation takes as its passage (default 12,000); longer is refused. */
  maxPassage: number;
}

export const DEFAULT_CONTEXT_BOUNDS: Readonly<ContextBounds> = {
  maxBefore: 6_000,
  maxAfter: 1_000,
  maxPassage: 12_000,
};
/** What a request may raise the bounds to: local models have small windows, and a prompt is sent whole. */
export const MAX_CONTEXT_CHARS = 100_000;

/** The slices of the document a prompt is built from, each already bounded. */
export interface ContextWindow {
  before: string;
  passage: string;
  after: string;
  /** True when `before` / `after` / `passage` were cut to their bound. */
  beforeCut: boolean;
  afterCut: boolean;
  passageCut: boolean;
}

/**
 * The text before `from` (its last `maxBefore` characters), the passage `from..to` and the text
 * after `to` (its first `maxAfter`). Cuts never split a surrogate pair, so a prompt is always valid
 * UTF-16. A passage longer than `maxPassage` is refused when `cutPassage` is false (a replacement
 * of a half-seen selection would lose text), else cut to its first `maxPassage` characters.
 * @throws AppError bad_request when the range is outside the text or the passage is too long.
 */
export function contextWindow(
  text: string,
  from: number,
  to: number,
  bounds: ContextBounds,
  options: { cutPassage?: boolean } = {},
): ContextWindow {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to > text.length)
    throw new AppError('bad_request', `The range ${from}–${to} is outside the document (${text.length} characters).`, {
      from,
      to,
      length: text.length,
    });
  const passageFull = text.slice(from, to);
  if (passageFull.length > bounds.maxPassage && !options.cutPassage)
    throw new AppError(
      'bad_request',
      `The selection has ${formatCount(passageFull.length)} characters; select at most ${formatCount(bounds.maxPassage)}.`,
      { length: passageFull.length, maxPassage: bounds.maxPassage },
    );
  const before = tail(text.slice(0, from), bounds.maxBefore);
  const after = head(text.slice(to), bounds.maxAfter);
  const passage = head(passageFull, bounds.maxPassage);
  return {
    before,
    passage,
    after,
    beforeCut: before.length < from,
    afterCut: after.length < text.length - to,
    passageCut: passage.length < passageFull.length,
  };
}

/** The last `max` code units of `s`, dropping a low surrogate left without its pair. */
function tail(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = s.slice(s.length - max);
  if (isLowSurrogate(out.charCodeAt(0))) out = out.slice(1);
  return out;
}

/** The first `max` code units of `s`, dropping a high surrogate left without its pair. */
function head(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = s.slice(0, max);
  if (isHighSurrogate(out.charCodeAt(out.length - 1))) out = out.slice(0, -1);
  return out;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** 1240 → "1,240" (the context description is read by people). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
