import { AppError } from '../../core/app-error';
import { redactUrl } from '../openai/classify-error';
import { normalizeBaseUrl } from '../openai/openai-compatible-provider';

/**
 * A normalized http(s) base URL; throws AppError('bad_request'). Credentials, a query string
 * (`?api_key=…`) or a fragment are refused rather than stripped: request paths are appended to
 * the base URL, so a query would break every request, and a saved row (shown by `models list`)
 * or a generation log entry must never hold a key. Saved endpoints and ad-hoc `--base-url` calls
 * both go through here.
 */
export function checkedBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(normalizeBaseUrl(input));
  } catch {
    throw new AppError('bad_request', `"${redactUrl(input).replace(/[?#].*$/, '')}" is not a valid http(s) URL.`);
  }
  if (url.username || url.password)
    throw new AppError('bad_request', 'Put credentials in the API key field, not in the URL.');
  // `?` and `#` with nothing after them leave `search`/`hash` empty, so look at the text too.
  if (url.search || url.hash || /[?#]/.test(input))
    throw new AppError(
      'bad_request',
      'A base URL cannot have a query string (?…) or a fragment (#…). End it at the API prefix (for example https://host/v1) and put a key in the API key field.',
    );
  return url.toString().replace(/\/+$/, '');
}
