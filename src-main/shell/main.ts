// The Electron shell: windows, menus, IPC wiring and app lifecycle. The only folder that imports
// `electron`; everything it serves comes from the plain-Node core.
import path from 'node:path';
import { app as electronApp, BrowserWindow, Menu, dialog, safeStorage, shell } from 'electron';
import { createApp, type App } from '../app';
import { openFileSecretStore, type SecretStore } from '../llm/keys';
import { StoreError } from '../store';
import { buildMenu } from './menu';
import { registerIpc } from './ipc';
import { hardenSession } from './security';

let core: App | null = null;
let ipc: ReturnType<typeof registerIpc> | null = null;

/**
 * API keys encrypted by the OS keychain (safeStorage) inside the core's key file; undefined (the
 * core's 0600 plain file) where the OS offers no encryption, e.g. Linux without a secret service.
 */
function osEncryptedSecrets(dataDir: string): SecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return openFileSecretStore(dataDir, {
    name: 'safeStorage',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Palimpsest',
    backgroundColor: '#1e1f24',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No in-app navigation or new windows: links leave for the OS browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== win.webContents.getURL()) {
      event.preventDefault();
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    }
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(path.join(__dirname, '../renderer/index.html'));
  ipc?.attachWindow(win);
  return win;
}

async function main(): Promise<void> {
  if (!electronApp.requestSingleInstanceLock()) {
    electronApp.quit();
    return;
  }
  await electronApp.whenReady();
  hardenSession();
  try {
    const dataDir = path.join(electronApp.getPath('userData'), 'data');
    core = createApp({ dataDir, secrets: osEncryptedSecrets(dataDir) });
  } catch (e) {
    const message = StoreError.isInstance(e) ? e.userMessage : String(e);
    dialog.showErrorBox('Palimpsest cannot open its data', message);
    electronApp.exit(1);
    return;
  }
  ipc = registerIpc(() => core!);
  Menu.setApplicationMenu(buildMenu());
  const win = createWindow();
  electronApp.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  electronApp.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

electronApp.on('window-all-closed', () => {
  if (process.platform !== 'darwin') electronApp.quit();
});
electronApp.on('before-quit', (event) => {
  if (!core) return;
  event.preventDefault();
  const closing = core;
  core = null;
  // Running jobs are checkpointed and resume on the next launch.
  void closing.dispose().finally(() => electronApp.quit());
});

void main();
