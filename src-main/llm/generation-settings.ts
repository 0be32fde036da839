import { AppError } from '../core/app-error';
import type { GenerationSettings } from './provider';

/** New tokens per generation when neither the call nor the author says otherwise, for every provider. */
export const DEFAULT_MAX_TOKENS = 256;
/** The most new tokens one generation may ask for. */
export const MAX_MAX_TOKENS = 32_768;

/**
 * Checks a call's or an author's settings. Throws AppError('bad_request') for a `maxTokens` that
 * is not a whole number from 1 to MAX_MAX_TOKENS: 0 or -1 would mean "nothing" to one backend and
 * "unlimited" to another, so neither is accepted.
 */
export function checkGenerationSettings(settings: GenerationSettings): void {
  const n = settings.maxTokens;
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= MAX_MAX_TOKENS)) {
    throw new AppError(
      'bad_request',
      `Max tokens must be a whole number from 1 to ${MAX_MAX_TOKENS} (got ${String(n)}).`,
      { maxTokens: n },
    );
  }
}

/**
 * The settings a generation is sent and recorded with: checked, and `maxTokens` defaulted to
 * DEFAULT_MAX_TOKENS. The one place the default is applied, so a remote server gets the same
 * limit as the local engine.
 */
export function resolveGenerationSettings(settings: GenerationSettings): GenerationSettings {
  checkGenerationSettings(settings);
  return { ...settings, maxTokens: settings.maxTokens ?? DEFAULT_MAX_TOKENS };
}
