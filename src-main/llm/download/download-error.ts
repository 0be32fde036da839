import { CodedError, hasErrorMark } from '../../core/coded-error';

/** Closed set of download failures; each has a message a user can act on. */
export type DownloadErrorCode =
  | 'network'
  | 'http'
  | 'not_found'
  | 'auth_required'
  | 'checksum_mismatch'
  | 'size_mismatch'
  | 'disk_full'
  | 'timeout'
  /** Another download of the same file is running (another job, or the app and the CLI at once). */
  | 'busy'
  | 'aborted';

const MARK = Symbol.for('palimpsest.DownloadError');

export class DownloadError extends CodedError<DownloadErrorCode> {
  readonly [MARK] = true;
  override readonly name = 'DownloadError';
  static isInstance(e: unknown): e is DownloadError {
    return hasErrorMark(e, MARK);
  }
}
