import { createTRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_FRAME_URL, bus } from '../helpers/transports/fake-electron';
import { errorData } from '../helpers/transports/trpc-client';
import type { AppRouter } from '../../src-main/api';
import { createApp, type App } from '../../src-main/app';
import { tempDir } from '../helpers/temp-dir';

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
    bus.frameUrl = APP_FRAME_URL;
  });
});
