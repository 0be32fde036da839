/** Store failures a user can act on. Never thrown for programming errors (those stay TypeError). */
export type StoreErrorCode = 'corrupt_database' | 'newer_schema' | 'data_dir_unwritable' | 'migration_failed';

const MARK = Symbol.for('palimpsest.StoreError');

export class StoreError extends Error {
  readonly [MARK] = true;
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    readonly userMessage: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }
  static isInstance(e: unknown): e is StoreError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MARK] === true;
  }
}
