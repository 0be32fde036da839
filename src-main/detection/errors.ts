/** Closed set of detection failure codes; each carries a message a user understands. */
export type DetectionErrorCode =
  | 'empty_text'
  | 'binary_data'
  | 'unsupported_file'
  | 'too_large'
  | 'corrupt_file'
  | 'not_found'
  | 'model_missing'
  | 'model_invalid'
  | 'disposed'
  | 'bad_input'
  | 'internal';

const MARK = Symbol.for('palimpsest.DetectionError');

export class DetectionError extends Error {
  readonly [MARK] = true;
  override readonly name = 'DetectionError';
  constructor(
    readonly code: DetectionErrorCode,
    /** Safe to show in the UI. */
    readonly userMessage: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }

  /** Works across duplicate package copies and realms, where `instanceof` fails. */
  static isInstance(e: unknown): e is DetectionError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MARK] === true;
  }

  /** Wrap anything thrown into a DetectionError, keeping the cause. */
  static from(e: unknown): DetectionError {
    if (DetectionError.isInstance(e)) return e;
    return new DetectionError('internal', 'Detection failed unexpectedly.', {}, { cause: e });
  }

  /** Plain-data form for IPC / JSON (class identity does not survive a process boundary). */
  toJSON(): { code: DetectionErrorCode; userMessage: string; details: Record<string, unknown> } {
    return { code: this.code, userMessage: this.userMessage, details: this.details };
  }
}
