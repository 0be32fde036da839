import { createTRPCClient } from '@trpc/client';
import type { AppRouter } from '../../../src-main/api';
import { createApp } from '../../../src-main/app';
import { tempDir } from '../temp-dir';
import { clientCall, clientSubscribe } from './trpc-client';
import type { Transport } from './transport';

/**
 * The desktop transport: the shell's IPC handler, the preload bridge and the renderer's ipcLink,
 * over the fake Electron bus. The test file must import './fake-electron' first.
 */
export async function ipcTransport(): Promise<Transport> {
  const app = createApp({ dataDir: tempDir() });
  const { registerIpc } = await import('../../../src-main/shell/ipc');
  registerIpc(() => app);
  const { exposeElectronTRPC } = await import('trpc-electron/main');
  exposeElectronTRPC(); // what src-main/shell/preload.ts does
  const { ipcLink } = await import('trpc-electron/renderer');
  const client = createTRPCClient<AppRouter>({ links: [ipcLink()] });
  return {
    name: 'Electron IPC',
    contextName: 'ipc',
    supports: () => true,
    failureCode: (code) => code,
    call: (path, input) => clientCall(client, path, input),
    subscribe: (path, onData) => clientSubscribe(client, path, onData),
    close: () => app.dispose(),
  };
}
