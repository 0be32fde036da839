import os from 'node:os';
import path from 'node:path';

/**
 * Where Palimpsest keeps its database when no shell (Electron userData) says otherwise:
 * `--data-dir` / PALIMPSEST_DATA_DIR first, then the platform's per-user data folder
 * (XDG_DATA_HOME on Linux).
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.PALIMPSEST_DATA_DIR) return path.resolve(env.PALIMPSEST_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Palimpsest');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Palimpsest');
    default:
      return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'palimpsest');
  }
}
