import { CodedError, hasErrorMark } from '../core/coded-error';

/** Closed set of LLM failure codes; each maps to a message a user understands. */
export type LlmErrorCode =
  | 'unreachable'
  | 'auth'
  | 'rate_limited'
  | 'context_overflow'
  | 'model_missing'
  /** The model file exists but is not a usable model (not GGUF, truncated, unsupported). */
  | 'invalid_model'
  | 'bad_response'
  | 'timeout'
  | 'aborted'
  | 'internal';

const MARK = Symbol.for('palimpsest.LlmError');

export class LlmError extends CodedError<LlmErrorCode> {
  readonly [MARK] = true;
  override readonly name = 'LlmError';
  /** Transient failures worth retrying with backoff. */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'unreachable' || this.code === 'timeout';
  }
  static isInstance(e: unknown): e is LlmError {
    return hasErrorMark(e, MARK);
  }
}
