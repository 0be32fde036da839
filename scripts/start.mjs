// `npm start`: the desktop window when Electron is installed, browser mode otherwise.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronStatus } from './electron-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const electron = electronStatus();
const run = (cmd, args) => {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
};
if (electron.available) {
  run(electron.binary, [root, ...process.argv.slice(2)]);
} else {
  console.log(`Desktop shell unavailable (${electron.reason}); starting browser mode instead.`);
  const open = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  run(process.execPath, [
    path.join(root, 'bin/palimpsest.js'),
    'serve',
    ...(open ? ['--open'] : []),
    ...process.argv.slice(2),
  ]);
}
