import type { LlmError } from '../errors';

/** Optional request fields a strict server may reject without the request being wrong. */
const DROPPABLE = ['top_k', 'seed', 'stream_options', 'logprobs', 'top_logprobs'] as const;

/** The optional parameter a 400/422 complains about, if it is one we can drop and resend without. */
export function unsupportedParameter(
  err: LlmError,
  body: Record<string, unknown>,
  dropped: Set<string>,
): string | undefined {
  const status = err.details.status;
  if (err.code !== 'bad_response' || (status !== 400 && status !== 422)) return undefined;
  const message = String(err.details.serverMessage ?? '');
  if (
    !/unrecognized|unknown|unsupported|not supported|extra (?:inputs|fields)|not permitted|not allowed|unexpected/i.test(
      message,
    )
  ) {
    return undefined;
  }
  return DROPPABLE.find((p) => p in body && !dropped.has(p) && new RegExp(`\\b${p}\\b`).test(message));
}
