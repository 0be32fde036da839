import { CodedError, hasErrorMark } from './coded-error';

/**
 * The one error shape that crosses the API boundary. Capabilities keep their own error classes;
 * the API layer maps them to an AppError code, which maps to one HTTP status (see api/errors.ts).
 */
export type AppErrorCode = 'bad_request' | 'forbidden' | 'not_found' | 'conflict' | 'unavailable' | 'internal';

const MARK = Symbol.for('palimpsest.AppError');

export class AppError extends CodedError<AppErrorCode> {
  readonly [MARK] = true;
  override readonly name = 'AppError';
  static isInstance(e: unknown): e is AppError {
    return hasErrorMark(e, MARK);
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('not_found', `${what} ${id} does not exist.`, { id });
