// Exposes the tRPC IPC link's channel to the sandboxed renderer, plus one helper that turns a file
// the user picked into its path (Electron no longer sets File.path; the Models view imports by path).
import { contextBridge, webUtils } from 'electron';
import { exposeElectronTRPC } from 'trpc-electron/main';

process.once('loaded', () => {
  exposeElectronTRPC();
  contextBridge.exposeInMainWorld('palimpsestFiles', { pathForFile: (file: File) => webUtils.getPathForFile(file) });
});
