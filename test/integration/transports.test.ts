import { createTRPCClient, createWSClient, httpBatchLink, wsLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLocalCaller, type AppRouter } from '../../src-main/api';
import { createApp, type App } from '../../src-main/app';
import { startWebServer, type WebServer } from '../../src-main/server';
import { tempDir } from '../helpers/temp-dir';

/** The same contract over each transport: a real loopback socket for HTTP and WebSocket. */
describe('browser-mode transport (HTTP + WebSocket on 127.0.0.1)', () => {
  let app: App;
  let server: WebServer;
  let base: string;
  const auth = () => ({ authorization: `Bearer ${server.token}` });
  const countDocs = () => app.store.db.prepare('SELECT COUNT(*) FROM documents').pluck().get();

  beforeAll(async () => {
    app = createApp({ dataDir: tempDir() });
    server = await startWebServer({ app });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await app.dispose();
  });

  it('binds to 127.0.0.1 with a random per-launch token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('answers 401 without the token and changes nothing', async () => {
    const before = countDocs();
    const res = await fetch(`${base}/trpc/documents.create`, {
      method: 'POST',
      body: JSON.stringify({ title: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
    const wrong = await fetch(`${base}/trpc/documents.list`, { headers: { authorization: 'Bearer wrong' } });
    expect(wrong.status).toBe(401);
    expect(countDocs()).toBe(before);
  });

  it('rejects a foreign Origin (403)', async () => {
    const res = await fetch(`${base}/trpc/documents.list`, { headers: { ...auth(), origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
  });

  it('answers 400 with the schema error for a malformed payload, changing nothing', async () => {
    const before = countDocs();
    const res = await fetch(`${base}/trpc/documents.create`, {
      method: 'POST',
      body: JSON.stringify({ title: 42 }),
      headers: { ...auth(), 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { data: { issues: Array<{ path: string }> } } };
    expect(body.error.data.issues[0]!.path).toBe('title');
    expect(countDocs()).toBe(before);
  });

  it('answers 404 for an unknown document id', async () => {
    const input = encodeURIComponent(JSON.stringify({ id: 'doc_missing' }));
    const res = await fetch(`${base}/trpc/documents.get?input=${input}`, { headers: auth() });
    expect(res.status).toBe(404);
    const res2 = await fetch(`${base}/trpc/documents.update`, {
      method: 'POST',
      body: JSON.stringify({ id: 'doc_missing', body: 'x', baseRevision: 1 }),
      headers: { ...auth(), 'content-type': 'application/json' },
    });
    expect(res2.status).toBe(404);
  });

  it('accepts the token from the launch URL query as well as the Bearer header', async () => {
    const res = await fetch(`${base}/trpc/documents.list?token=${server.token}`);
    expect(res.status).toBe(200);
  });

  it('serves the typed client over HTTP and subscriptions over WebSocket', async () => {
    const wsClient = createWSClient({
      url: `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
      WebSocket: WebSocket as never,
    });
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${base}/trpc`, headers: auth })],
    });
    const subClient = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    const seen: string[] = [];
    const sub = subClient.documents.onDidChange.subscribe(undefined, { onData: (e) => seen.push(`${e.kind}:${e.id}`) });
    await new Promise((r) => setTimeout(r, 200));
    const doc = await client.documents.create.mutate({ title: 'Over the wire', body: 'hello' });
    const updated = await client.documents.update.mutate({
      id: doc.id,
      body: 'hello there',
      baseRevision: doc.revision,
    });
    expect(updated.body).toBe('hello there');
    for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([`created:${doc.id}`, `updated:${doc.id}`]);
    sub.unsubscribe();
    wsClient.close();
  });

  it('refuses a WebSocket upgrade without the token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    const code = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(code === 401 || code === -1).toBe(true);
  });

  it('validates the same way in-process (local caller)', async () => {
    const caller = createLocalCaller({ app, transport: 'local' });
    await expect(caller.documents.get({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.documents.create({ title: 5 } as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
