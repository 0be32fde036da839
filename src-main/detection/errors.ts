import { CodedError, hasErrorMark } from '../core/coded-error';

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

export class DetectionError extends CodedError<DetectionErrorCode> {
  readonly [MARK] = true;
  override readonly name = 'DetectionError';

  /** Works across duplicate package copies and realms, where `instanceof` fails. */
  static isInstance(e: unknown): e is DetectionError {
    return hasErrorMark(e, MARK);
  }

  /** Wrap anything thrown into a DetectionError, keeping the cause. */
  static from(e: unknown): DetectionError {
    if (DetectionError.isInstance(e)) return e;
    return new DetectionError('internal', 'Detection failed unexpectedly.', {}, { cause: e });
  }
}
