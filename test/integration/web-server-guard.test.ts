import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../../src-main/app';
import { MAX_REQUEST_BYTES, REQUEST_TOO_LARGE_MESSAGE } from '../../src-main/api/request-size';
import { startWebServer, type WebServer } from '../../src-main/server';
import { rawRequest } from '../helpers/transports/raw-http';
import { tempDir } from '../helpers/temp-dir';

/** Browser mode against hostile requests, over a real loopback socket: the server answers and stays up. */
describe('browser-mode server under malformed, cross-port and oversized requests', () => {
  let app: App;
  let server: WebServer;
  let small: WebServer;
  let base: string;
  const SMALL_LIMIT = 1024 * 1024;
  const bearer = () => ({ authorization: `Bearer ${server.token}` });
  const cookie = () => ({ cookie: `palimpsest_${server.port}=${server.token}` });
  /** A GET with exactly these headers (fetch adds its own Sec-Fetch-* ones). */
  const get = (target: string, headers: http.OutgoingHttpHeaders) =>
    new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: server.port, path: target, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
  const stillUp = async () => {
    const res = await fetch(`${base}/trpc/system.info`, { headers: bearer() });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    app = createApp({ dataDir: tempDir() });
    const renderer = tempDir();
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>app</title>');
    fs.writeFileSync(path.join(renderer, 'main.js'), 'console.log(1)');
    server = await startWebServer({ app, rendererDir: renderer });
    small = await startWebServer({ app, maxRequestBytes: SMALL_LIMIT });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await small.close();
    await app.dispose();
  });

  it.each([
    ['an invalid percent-escape', '/%E0%A4%A'],
    ['a NUL byte before an extension', '/index.html%00.js'],
    ['a NUL byte in a route', '/docs%00'],
    ['an invalid escape under /trpc/', '/trpc/%E0%A4%A'],
  ])('answers 400 for %s and keeps serving', async (_what, target) => {
    const res = await fetch(`${base}${target}`, { headers: bearer() });
    expect(res.status).toBe(400);
    await stillUp();
  });

  it('answers 400 for request targets that are not a path, and keeps serving', async () => {
    const head = (target: string) =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\n\r\n`;
    expect(await rawRequest(server.port, head('http://[bad/'))).toBe(400);
    expect(await rawRequest(server.port, head('*'))).toBe(400);
    expect(await rawRequest(server.port, head('/%E0%A4%A'))).toBe(400);
    await stillUp();
  });

  it('still serves the app and its files', async () => {
    expect((await fetch(`${base}/`, { headers: bearer() })).status).toBe(200);
    expect((await fetch(`${base}/main.js`, { headers: bearer() })).status).toBe(200);
    expect((await fetch(`${base}/some/route`, { headers: bearer() })).status).toBe(200);
    expect((await fetch(`${base}/missing.js`, { headers: bearer() })).status).toBe(404);
    expect((await fetch(`${base}/..%2f..%2fetc%2fpasswd`, { headers: bearer() })).status).toBe(403);
  });

  describe('no cookie: cookies reach every port of 127.0.0.1, so only our page sends the token', () => {
    it('sets no cookie from the launch URL and serves the page that takes the token', async () => {
      const res = await fetch(server.url, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    });

    it('does not take a cookie carrying the token as a credential', async () => {
      const count = () => app.store.db.prepare('SELECT COUNT(*) FROM documents').pluck().get();
      const before = count();
      expect(await get('/trpc/documents.list', cookie())).toBe(401);
      const res = await fetch(`${base}/trpc/documents.create`, {
        method: 'POST',
        body: JSON.stringify({ title: 'forged' }),
        headers: { ...cookie(), 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(401);
      expect(count()).toBe(before);
    });

    it('serves the app files without the token, but never to a foreign Host or Origin', async () => {
      expect(await get('/', {})).toBe(200);
      expect(await get('/main.js', {})).toBe(200);
      expect(await get('/', { host: 'evil.example' })).toBe(403);
      expect(await get('/main.js', { origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
    });

    it('refuses a WebSocket without the token, or from another origin with it', async () => {
      const status = (query: string, headers: Record<string, string>) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
          ws.on('open', () => {
            ws.close();
            resolve(101);
          });
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('error', () => resolve(-1));
        });
      const token = `?token=${server.token}`;
      expect(await status('', { ...cookie(), origin: base })).toBe(401);
      expect(await status(token, { origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
      expect(await status(token, { origin: base })).toBe(101);
    });
  });

  describe('body limits', () => {
    /** Starts a POST and resolves with the status and how many body bytes were sent by then. */
    const post = (
      port: number,
      token: string,
      headers: http.OutgoingHttpHeaders,
      chunk: Buffer,
      maxBytes: number,
    ): Promise<{ status: number; sent: number; body: string }> =>
      new Promise((resolve, reject) => {
        let sent = 0;
        let done = false;
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/trpc/documents.create',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
          },
          (res) => {
            done = true;
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, sent, body });
              req.destroy();
            });
          },
        );
        req.on('error', (e) => (done ? undefined : reject(e)));
        const pump = () => {
          while (!done && sent < maxBytes) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!done) req.end();
        };
        req.write('{"title":"big","body":"');
        pump();
      });

    it('refuses a declared 200 MB body with 413 before reading it', async () => {
      const started = Date.now();
      const r = await post(
        server.port,
        server.token,
        { 'content-length': String(200 * 1024 * 1024) },
        Buffer.alloc(64 * 1024, 'a'),
        200 * 1024 * 1024,
      );
      expect(r.status).toBe(413);
      expect(r.sent).toBeLessThan(16 * 1024 * 1024); // the refusal came long before the body was sent
      expect(Date.now() - started).toBeLessThan(5000);
      expect(JSON.parse(r.body).error.data).toMatchObject({
        appCode: 'bad_request',
        userMessage: REQUEST_TOO_LARGE_MESSAGE,
      });
      await stillUp();
    });

    it('stops reading a chunked body at the limit (no Content-Length to check)', async () => {
      const r = await post(
        small.port,
        small.token,
        { 'transfer-encoding': 'chunked' },
        Buffer.alloc(64 * 1024, 'a'),
        200 * 1024 * 1024,
      );
      expect(r.status).toBe(413);
      expect(r.sent).toBeLessThan(32 * SMALL_LIMIT);
      expect(JSON.parse(r.body).error.data).toMatchObject({
        appCode: 'bad_request',
        userMessage: REQUEST_TOO_LARGE_MESSAGE,
      });
      const after = await fetch(`http://127.0.0.1:${small.port}/trpc/system.info`, {
        headers: { authorization: `Bearer ${small.token}` },
      });
      expect(after.status).toBe(200);
    });

    it('accepts a body under the limit, and the default fits the largest file upload', async () => {
      const body = JSON.stringify({ title: 'fits', body: 'a'.repeat(SMALL_LIMIT - 100) });
      const res = await fetch(`http://127.0.0.1:${small.port}/trpc/documents.create`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${small.token}`, 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      // checks.extractFile of a 20 MB file, as httpBatchLink sends it.
      const maxBase64 = Math.ceil((20 * 1024 * 1024) / 3) * 4;
      const upload = `{"0":{"name":"${'n'.repeat(1000)}","base64":"${'A'.repeat(maxBase64)}"}}`;
      expect(Buffer.byteLength(upload)).toBeLessThan(MAX_REQUEST_BYTES);
    });

    it('closes a WebSocket whose message is over the limit (1009) and keeps serving', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${small.port}/ws?token=${small.token}`);
      await new Promise((r) => ws.once('open', r));
      const code = await new Promise<number>((resolve) => {
        ws.once('close', (c) => resolve(c));
        ws.send(Buffer.alloc(SMALL_LIMIT + 1, 'a'));
      });
      expect(code).toBe(1009);
      await stillUp();
    });
  });
});
