/**
 * Base of every Palimpsest error that crosses a boundary (IPC, HTTP, worker, CLI): a `code` from a
 * closed union, a `userMessage` safe to show, structured `details` and the `cause`. Capabilities
 * subclass it once (AppError, StoreError, LlmError, DetectionError, DownloadError).
 */
export abstract class CodedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    /** Safe to show in the UI. */
    readonly userMessage: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }

  /** Plain-data form: class identity does not survive a process boundary. */
  toJSON(): { code: C; userMessage: string; details: Record<string, unknown> } {
    return { code: this.code, userMessage: this.userMessage, details: this.details };
  }
}

/**
 * True when `e` carries the `Symbol.for` marker of an error class. Works across duplicate package
 * copies and realms, where `instanceof` fails (vercel/ai's `isInstance`).
 */
export function hasErrorMark(e: unknown, mark: symbol): boolean {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[mark] === true;
}
