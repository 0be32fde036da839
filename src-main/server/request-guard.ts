import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export type Verdict = 'ok' | 401 | 403;

/**
 * A loopback Host (stops DNS-rebinding sites) and, when the browser sends one, our exact Origin
 * (stops other sites' pages). Applies to every request, the app's own files included.
 */
export function checkOrigin(req: http.IncomingMessage, port: number): boolean {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(req.headers.host ?? '')) return false;
  const origin = req.headers.origin;
  return origin === undefined || allowedHosts.some((h) => origin === `http://${h}`);
}

/**
 * Whether a request may use the API: checkOrigin, plus the per-launch token as a Bearer header
 * (HTTP calls) or a `?token=` parameter (the WebSocket, which browsers open without headers).
 *
 * There is deliberately no cookie. Cookies ignore ports: every server on another port of
 * 127.0.0.1 that the browser visits receives a cookie set by this one (SameSite=Strict does not
 * help, those pages are same-site), and can replay it. A header or parameter is only ever sent
 * by our own page, which keeps the token in its origin's storage (src-renderer/lib/api/client.ts),
 * so there is no ambient credential and nothing for a cross-site request to forge.
 */
export function checkRequest(req: http.IncomingMessage, url: URL, port: number, token: string): Verdict {
  if (!checkOrigin(req, port)) return 403;
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('token');
  return given !== null && given !== undefined && safeEqual(given, token) ? 'ok' : 401;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
