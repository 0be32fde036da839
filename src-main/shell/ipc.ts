import { createIPCHandler } from 'trpc-electron/main';
import { appRouter } from '../api';
import type { App } from '../app';
import { isTrustedSender } from './security';

/**
 * Serves the API over Electron IPC. Every call's context is built here, so a frame that is not
 * our own UI (a navigated-away page, an injected iframe) is refused before any procedure runs.
 */
export function registerIpc(getApp: () => App) {
  return createIPCHandler({
    router: appRouter,
    windows: [],
    createContext: async ({ event }) => ({
      app: getApp(),
      transport: 'ipc' as const,
      untrusted: !isTrustedSender(event.senderFrame?.url),
    }),
  });
}
