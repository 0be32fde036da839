/** Why one file could not be added; the job reports `message` for that file and carries on. */
export type LibraryIngestErrorCode =
  'not_found' | 'unsupported_file' | 'too_large' | 'corrupt_file' | 'encrypted' | 'binary_data' | 'empty_text';

const MARK = Symbol.for('palimpsest.LibraryIngestError');

export class LibraryIngestError extends Error {
  readonly [MARK] = true;
  override readonly name = 'LibraryIngestError';
  constructor(
    readonly code: LibraryIngestErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  static isInstance(e: unknown): e is LibraryIngestError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MARK] === true;
  }
}
