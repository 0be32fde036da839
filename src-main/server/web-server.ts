import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { appRouter } from '../api';
import type { App } from '../app';

export interface WebServerOptions {
  app: App;
  /** Built renderer (index.html + assets). Without it only the API is served. */
  rendererDir?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; by default a random one per launch. */
  token?: string;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** Opening this URL in a browser logs it in (token moved into an HttpOnly cookie). */
  readonly url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
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
 * Browser mode: the same tRPC router over HTTP (calls) and WebSocket (subscriptions), bound to
 * 127.0.0.1 only. Every request must carry the per-launch token (Bearer header, `?token=`, or the
 * cookie set when the launch URL is opened) and a loopback Host/Origin, which stops other local
 * users' pages and DNS-rebinding sites from driving the API.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: () => ({ app: options.app, transport: 'http' as const }),
  });
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: () => ({ app: options.app, transport: 'ws' as const }),
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
  });
  let port = 0;
  const cookieName = () => `palimpsest_${port}`;

  const authorize = (req: http.IncomingMessage): 'ok' | 401 | 403 => {
    const allowedHosts = [`${HOST}:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) return 403;
    const origin = req.headers.origin;
    if (origin && !allowedHosts.some((h) => origin === `http://${h}`)) return 403;
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const header = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = parseCookies(req.headers.cookie)[cookieName()];
    const given = header ?? url.searchParams.get('token') ?? cookie;
    return given && safeEqual(given, token) ? 'ok' : 401;
  };

  server.on('request', (req, res) => {
    const verdict = authorize(req);
    if (verdict !== 'ok') {
      res.writeHead(verdict, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: verdict === 401 ? 'Missing or wrong token.' : 'Forbidden host or origin.' }));
      return;
    }
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.pathname.startsWith('/trpc/')) {
      trpcHandler(req, res);
      return;
    }
    if (url.searchParams.has('token')) {
      // Move the token into a cookie and drop it from the address bar and history.
      res.writeHead(303, {
        'set-cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname,
      });
      res.end();
      return;
    }
    serveStatic(options.rendererDir, url.pathname, res);
  });

  server.on('upgrade', (req, socket, head) => {
    const verdict = authorize(req);
    if (verdict !== 'ok' || new URL(req.url ?? '/', `http://${HOST}`).pathname !== '/ws') {
      socket.end(`HTTP/1.1 ${verdict === 'ok' ? 404 : verdict} Rejected\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    async close() {
      wsHandler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function serveStatic(root: string | undefined, pathname: string, res: http.ServerResponse): void {
  if (!root) {
    res.writeHead(404).end('No user interface was built (run npm run build).');
    return;
  }
  const rel = decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html';
  let file = path.resolve(root, rel);
  if (!file.startsWith(path.resolve(root) + path.sep) && file !== path.resolve(root)) {
    res.writeHead(403).end();
    return;
  }
  // Unknown paths without an extension are client-side routes: serve the app.
  if (!fs.existsSync(file) && !path.extname(file)) file = path.join(root, 'index.html');
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

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
