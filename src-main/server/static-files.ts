import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { decodePathname } from './request-url';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Serves the built renderer from `root`. Paths outside it get 403, undecodable ones 400; unknown
 * paths without an extension are client-side routes and get index.html.
 */
export function serveStatic(root: string | undefined, pathname: string, res: http.ServerResponse): void {
  if (!root) {
    res.writeHead(404).end('No user interface was built (run npm run build).');
    return;
  }
  const decoded = decodePathname(pathname);
  if (decoded === null) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request path.');
    return;
  }
  const base = path.resolve(root);
  let file = path.resolve(base, decoded.replace(/^\/+/, '') || 'index.html');
  if (!file.startsWith(base + path.sep) && file !== base) {
    res.writeHead(403).end();
    return;
  }
  if (!fs.existsSync(file) && !path.extname(file)) file = path.join(base, 'index.html');
  fs.readFile(file, (err, data) => {
    if (err) {
      res.writeHead(404).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    res.end(data);
  });
}
