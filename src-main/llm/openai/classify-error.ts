import { LlmError } from '../errors';

/**
 * Turns what an OpenAI-compatible server (or the network under it) did wrong into one LlmError
 * with a message a writer understands. Servers disagree on error shapes (OpenAI, vLLM, llama.cpp,
 * Ollama, LM Studio), so the status is checked first and the message text only refines it.
 */

/** Network error codes (node / undici) that mean "nobody answered at that address". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

// llama-server says "the request exceeds the available context size" (type exceed_context_size_error)
// up front and "Context size has been exceeded." when generation fills the context.
const CONTEXT_OVERFLOW =
  /context[ _-]?length|maximum context|context window|context_length_exceeded|context size (?:has been |was |is )?exceeded|exceed_context_size|too many tokens|exceeds? the (?:available )?context|n_ctx|prompt is too long|input is too long/i;
const MODEL_MISSING =
  /model[^.]{0,80}(?:not found|does not exist|not exist|unknown|not loaded|no such)|no such model|model_not_found/i;

/** Where the failing request went; never contains credentials (see `redactUrl`). */
export interface RequestTarget {
  baseUrl: string;
  model?: string;
}

/** Maps an HTTP error response (status >= 400) to an LlmError. `body` is the raw text. */
export function errorFromResponse(status: number, body: string, headers: Headers, target: RequestTarget): LlmError {
  const message = extractServerMessage(body);
  const details: Record<string, unknown> = {
    status,
    baseUrl: target.baseUrl,
    model: target.model,
    serverMessage: message,
  };
  if (looksLikeHtml(body, headers)) return htmlInsteadOfJson(target, status);
  if (status === 401 || status === 403) {
    return new LlmError(
      'auth',
      `The server at ${target.baseUrl} refused the API key (HTTP ${status}). Check the key for this endpoint.`,
      details,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers);
    return new LlmError(
      'rate_limited',
      `The server at ${target.baseUrl} is rate-limiting requests (HTTP 429)` +
        (retryAfterMs !== undefined ? `; it asks to wait ${Math.ceil(retryAfterMs / 1000)} s.` : '.'),
      { ...details, retryAfterMs },
    );
  }
  if (CONTEXT_OVERFLOW.test(message) && (status === 400 || status === 413 || status === 422 || status === 500)) {
    return new LlmError(
      'context_overflow',
      `The prompt is longer than ${target.model ?? 'the model'} can read at once. Shorten the text or pick a model with a longer context.`,
      details,
    );
  }
  if (status === 404 || MODEL_MISSING.test(message)) {
    return new LlmError(
      'model_missing',
      target.model
        ? `The server at ${target.baseUrl} does not have the model "${target.model}". Pull or load it there, or choose another model.`
        : `The server at ${target.baseUrl} has no such API route (HTTP 404). Check the base URL; it usually ends in /v1.`,
      details,
    );
  }
  if (status === 408 || status === 504) {
    return new LlmError('timeout', `The server at ${target.baseUrl} timed out (HTTP ${status}).`, details);
  }
  if (status === 502 || status === 503) {
    // Proxies in front of a restarting server, or a server still loading its model: transient.
    return new LlmError(
      'unreachable',
      `The server at ${target.baseUrl} is temporarily unavailable (HTTP ${status}). It may still be loading the model.`,
      { ...details, retryAfterMs: parseRetryAfter(headers) },
    );
  }
  return new LlmError(
    status >= 500 ? 'internal' : 'bad_response',
    `The server at ${target.baseUrl} rejected the request (HTTP ${status})${message ? `: ${truncate(message, 200)}` : '.'}`,
    details,
  );
}

/** Maps an error event inside a stream (`data: {"error": ...}`) to an LlmError. */
export function errorFromStreamPayload(payload: unknown, target: RequestTarget): LlmError {
  const message = extractServerMessage(JSON.stringify(payload));
  const code = (payload as { error?: { code?: unknown } }).error?.code;
  const status = typeof code === 'number' ? code : 500;
  if (CONTEXT_OVERFLOW.test(message)) return errorFromResponse(400, JSON.stringify(payload), new Headers(), target);
  return new LlmError(
    'bad_response',
    `The server at ${target.baseUrl} reported an error mid-generation: ${truncate(message, 200)}`,
    { baseUrl: target.baseUrl, model: target.model, status, serverMessage: message },
  );
}

/**
 * Maps a thrown fetch / socket error to an LlmError (`phase` says whether bytes had arrived). A
 * connection that breaks mid-answer is `unreachable` too: the server (or the way to it) died, so
 * a pool marks it down instead of trying it first next time.
 */
export function errorFromNetwork(cause: unknown, target: RequestTarget, phase: 'connect' | 'stream'): LlmError {
  const code = networkCode(cause);
  if (phase === 'stream') {
    return new LlmError(
      'unreachable',
      `The connection to ${target.baseUrl} broke in the middle of the answer. The text so far was kept; try again.`,
      { baseUrl: target.baseUrl, model: target.model, networkCode: code },
      { cause },
    );
  }
  if (code && UNREACHABLE_CODES.has(code)) {
    return new LlmError(
      'unreachable',
      `Cannot reach ${target.baseUrl} (${code}). Is the server running and the address right?`,
      { baseUrl: target.baseUrl, model: target.model, networkCode: code },
      { cause },
    );
  }
  return new LlmError(
    'unreachable',
    `Cannot reach ${target.baseUrl}: ${innermostMessage(cause)}.`,
    { baseUrl: target.baseUrl, model: target.model, networkCode: code },
    { cause },
  );
}

/** The error for a page of HTML where JSON was expected (a wrong base URL, a login portal, a proxy). */
export function htmlInsteadOfJson(target: RequestTarget, status?: number): LlmError {
  return new LlmError(
    'bad_response',
    `The server at ${target.baseUrl} answered with a web page instead of an API response. Check the base URL (it usually ends in /v1).`,
    { baseUrl: target.baseUrl, model: target.model, status },
  );
}

/**
 * Reads `retry-after-ms` (OpenAI) or `Retry-After` (seconds or an HTTP date) as milliseconds.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function looksLikeHtml(body: string, headers?: Headers): boolean {
  const type = headers?.get('content-type') ?? '';
  if (type.includes('text/html')) return true;
  const head = body.trimStart().slice(0, 15).toLowerCase();
  return (
    head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body')
  );
}

/** Removes `user:password@` from a URL so it can go into messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

function extractServerMessage(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const e = json.error;
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
      return (e as { message: string }).message;
    }
    if (typeof json.message === 'string') return json.message;
    if (typeof json.detail === 'string') return json.detail;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return truncate(body.trim(), 500);
}

function networkCode(cause: unknown): string | undefined {
  // undici wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  for (let e: unknown = cause, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = (errors[0] as { code?: unknown }).code;
      if (typeof inner === 'string') return inner;
    }
  }
  return undefined;
}

/** undici's outer error just says "fetch failed"; the useful words ("bad port", …) are inside. */
function innermostMessage(cause: unknown): string {
  let message = cause instanceof Error ? cause.message : String(cause);
  for (
    let e = (cause as { cause?: unknown })?.cause, depth = 0;
    e instanceof Error && depth < 4;
    e = e.cause, depth++
  ) {
    if (e.message) message = e.message;
  }
  return message;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
