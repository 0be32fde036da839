import { AppError, type AppErrorCode } from '../../core/app-error';
import { DownloadError } from '../download/download-error';
import { LlmError, type LlmErrorCode } from '../errors';

/** One table from LLM failure codes to the API's codes (and so to HTTP statuses). */
const APP_CODE: Record<LlmErrorCode, AppErrorCode> = {
  unreachable: 'unavailable',
  timeout: 'unavailable',
  rate_limited: 'unavailable',
  bad_response: 'unavailable',
  auth: 'bad_request',
  context_overflow: 'bad_request',
  invalid_model: 'bad_request',
  model_missing: 'not_found',
  aborted: 'conflict',
  internal: 'internal',
};

/**
 * Turns an LlmError (or DownloadError) into an AppError with the same user message; the LLM code
 * travels in `details.llmCode` so the UI can still tell, say, a bad key from a dead server.
 * AppErrors pass through; anything else is returned unchanged (the API reports it as internal).
 */
export function toAppError(e: unknown): unknown {
  if (AppError.isInstance(e)) return e;
  if (LlmError.isInstance(e))
    return new AppError(APP_CODE[e.code] ?? 'internal', e.userMessage, { ...e.details, llmCode: e.code }, { cause: e });
  if (DownloadError.isInstance(e)) {
    const code: AppErrorCode = e.code === 'not_found' ? 'not_found' : e.code === 'aborted' ? 'conflict' : 'unavailable';
    return new AppError(code, e.userMessage, { ...e.details, downloadCode: e.code }, { cause: e });
  }
  return e;
}
