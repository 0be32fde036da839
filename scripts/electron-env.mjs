// Finds out, without downloading anything, whether the Electron binary is installed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** { available, major, reason }: `require('electron')` would try a download, so read files only. */
export function electronStatus() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { available: false, major: 38, reason: 'the electron package is not installed' };
  }
  const major = Number(JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version.split('.')[0]);
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { available: false, major, reason: 'the Electron binary was not downloaded' };
  const binary = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  if (!fs.existsSync(binary)) return { available: false, major, reason: 'the Electron binary is missing' };
  return { available: true, major, binary };
}
