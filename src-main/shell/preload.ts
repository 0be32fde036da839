// Exposes exactly one channel to the sandboxed renderer: the tRPC IPC link's.
import { exposeElectronTRPC } from 'trpc-electron/main';

process.once('loaded', () => {
  exposeElectronTRPC();
});
