import { createTRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppRouter } from '../../src-main/api';
import { createApp, type App } from '../../src-main/app';
import { tempDir } from '../helpers/temp-dir';

// A two-ended fake of Electron's IPC: what the renderer sends reaches ipcMain, and `event.reply`
// reaches the renderer. The shell's real handler, the preload's real bridge and the renderer's real
// ipcLink run over it, so this covers the desktop transport without an Electron binary.
const bus = vi.hoisted(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventEmitter: EE } = require('node:events') as typeof import('node:events');
  return { main: new EE(), renderer: new EE(), frameUrl: 'file:///app/out/renderer/index.html' };
});

vi.mock('electron', () => ({
  ipcMain: { on: (channel: string, fn: (...a: unknown[]) => void) => bus.main.on(channel, fn) },
  ipcRenderer: {
    send: (channel: string, message: unknown) => {
      const event = {
        sender: { id: 1, isDestroyed: () => false },
        senderFrame: { url: bus.frameUrl, routingId: 1 },
        reply: (ch: string, reply: unknown) => setImmediate(() => bus.renderer.emit(ch, {}, reply)),
      };
      setImmediate(() => bus.main.emit(channel, event, message));
    },
    on: (channel: string, fn: (...a: unknown[]) => void) => bus.renderer.on(channel, fn),
  },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => ((globalThis as Record<string, unknown>)[key] = api),
  },
}));

/** The renderer's view of an error: trpc-electron bundles its own TRPCClientError, so @trpc/client wraps it. */
function errorData(e: unknown): Record<string, unknown> | undefined {
  for (let x = e as { data?: Record<string, unknown>; cause?: unknown } | undefined; x; x = x.cause as typeof x) {
    if (x.data) return x.data;
  }
  return undefined;
}

describe('desktop transport (Electron IPC: shell handler, preload bridge, renderer link)', () => {
  let app: App;
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;

  beforeAll(async () => {
    app = createApp({ dataDir: tempDir() });
    const { registerIpc } = await import('../../src-main/shell/ipc');
    registerIpc(() => app);
    const { exposeElectronTRPC } = await import('trpc-electron/main');
    exposeElectronTRPC(); // what src-main/shell/preload.ts does
    const { ipcLink } = await import('trpc-electron/renderer');
    client = createTRPCClient<AppRouter>({ links: [ipcLink()] });
  });
  afterAll(() => app.dispose());

  it('serves calls with validation and error codes like the other transports', async () => {
    const info = await client.system.info.query();
    expect(info.transport).toBe('ipc');
    const doc = await client.documents.create.mutate({ title: 'Over IPC', body: 'hello' });
    expect((await client.documents.get.query({ id: doc.id })).body).toBe('hello');
    const missing = await client.documents.get.query({ id: 'doc_missing' }).catch(errorData);
    expect(missing).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'not_found',
      userMessage: 'Document doc_missing does not exist.',
    });
    const malformed = await client.documents.create.mutate({ title: 42 } as never).catch(errorData);
    expect(malformed).toMatchObject({ code: 'BAD_REQUEST', appCode: 'bad_request' });
  });

  it('streams subscriptions', async () => {
    const seen: string[] = [];
    const sub = client.documents.onDidChange.subscribe(undefined, { onData: (e) => seen.push(e.kind) });
    await new Promise((r) => setTimeout(r, 50));
    await client.documents.create.mutate({ title: 'evented' });
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    sub.unsubscribe();
    expect(seen).toEqual(['created']);
  });

  it('refuses calls from a frame that is not the app (navigated or injected page)', async () => {
    bus.frameUrl = 'https://evil.example/';
    const before = app.store.db.prepare('SELECT COUNT(*) FROM documents').pluck().get();
    const refused = await client.documents.create.mutate({ title: 'x' }).catch(errorData);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', appCode: 'forbidden' });
    expect(app.store.db.prepare('SELECT COUNT(*) FROM documents').pluck().get()).toBe(before);
    bus.frameUrl = 'file:///app/out/renderer/index.html';
  });
});
