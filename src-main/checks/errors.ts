import { AppError, type AppErrorCode } from '../core/app-error';
import { DetectionError, type DetectionErrorCode } from '../detection';

/** Which AppError code (and so HTTP status) each detection failure maps to. */
const CODE: Record<DetectionErrorCode, AppErrorCode> = {
  empty_text: 'bad_request',
  binary_data: 'bad_request',
  unsupported_file: 'bad_request',
  too_large: 'bad_request',
  corrupt_file: 'bad_request',
  bad_input: 'bad_request',
  not_found: 'not_found',
  model_missing: 'unavailable',
  model_invalid: 'unavailable',
  disposed: 'unavailable',
  internal: 'internal',
};

/** Shown when the model is not installed: says what to do, not just what is wrong. */
export const MODEL_MISSING_MESSAGE =
  'The detection model is not installed, so texts cannot be checked yet. Reinstall Palimpsest, or build the model with “npm run train:detect”.';

/** Turns a DetectionError (or anything thrown by detection) into an AppError for the API. */
export function toAppError(e: unknown): AppError {
  if (AppError.isInstance(e)) return e;
  if (DetectionError.isInstance(e) || isErrorData(e)) {
    const code = CODE[e.code] ?? 'internal';
    const message = e.code === 'model_missing' ? MODEL_MISSING_MESSAGE : e.userMessage;
    return new AppError(code, message, { detectionCode: e.code }, { cause: e });
  }
  return new AppError('internal', 'Detection failed unexpectedly.', {}, { cause: e });
}

function isErrorData(e: unknown): e is { code: DetectionErrorCode; userMessage: string } {
  const x = e as { code?: unknown; userMessage?: unknown };
  return typeof x?.code === 'string' && x.code in CODE && typeof x.userMessage === 'string';
}
