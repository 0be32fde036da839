/**
 * The one error shape that crosses the API boundary. Capabilities keep their own error classes;
 * the API layer maps them to an AppError code, which maps to one HTTP status (see api/errors.ts).
 */
export type AppErrorCode = 'bad_request' | 'not_found' | 'conflict' | 'unavailable' | 'internal';

const MARK = Symbol.for('palimpsest.AppError');

export class AppError extends Error {
  readonly [MARK] = true;
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    readonly userMessage: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }
  static isInstance(e: unknown): e is AppError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MARK] === true;
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('not_found', `${what} ${id} does not exist.`, { id });
