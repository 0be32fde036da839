import { CodedError, hasErrorMark } from '../core/coded-error';

/** Store failures a user can act on. Never thrown for programming errors (those stay TypeError). */
export type StoreErrorCode = 'corrupt_database' | 'newer_schema' | 'data_dir_unwritable' | 'migration_failed';

const MARK = Symbol.for('palimpsest.StoreError');

export class StoreError extends CodedError<StoreErrorCode> {
  readonly [MARK] = true;
  override readonly name = 'StoreError';
  static isInstance(e: unknown): e is StoreError {
    return hasErrorMark(e, MARK);
  }
}
