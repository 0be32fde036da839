import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/** The URL of the app's own frame; the shell trusts only this kind of sender. */
export const APP_FRAME_URL = 'file:///app/out/renderer/index.html';

/**
 * A two-ended fake of Electron's IPC: what the renderer sends reaches ipcMain, and `event.reply`
 * reaches the renderer. The shell's real handler, the preload's real bridge and the renderer's real
 * ipcLink run over it, so tests cover the desktop transport without an Electron binary. Import this
 * module before anything that imports `electron` (trpc-electron is inlined in vitest.config.ts so
 * the mock reaches it). `bus.frameUrl` is the URL of the frame that sends: set it to test refusal.
 * (The mock factory runs when `electron` is first imported, after this module has loaded.)
 */
export const bus = { main: new EventEmitter(), renderer: new EventEmitter(), frameUrl: APP_FRAME_URL };

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
