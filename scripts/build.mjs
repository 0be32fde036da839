// Builds everything `npm start`, the CLI and the tests need: electron-vite (main, preload, renderer)
// and an esbuild bundle of the CLI. `--if-stale` skips the work when no source changed since.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { electronStatus } from './electron-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'out', '.build-stamp');
const inputs = ['src-main', 'src-renderer', 'electron.vite.config.ts', 'package.json', 'scripts/build.mjs'];

function newestMtime(p) {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return 0;
  const st = fs.statSync(full);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(full)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

if (process.argv.includes('--if-stale') && fs.existsSync(stamp)) {
  const built = fs.statSync(stamp).mtimeMs;
  if (Math.max(...inputs.map(newestMtime)) <= built) process.exit(0);
}

const t0 = Date.now();
const electron = electronStatus();
// electron-vite resolves Electron's version to pick build targets; without the binary it needs this.
const env = { ...process.env, ELECTRON_MAJOR_VER: process.env.ELECTRON_MAJOR_VER ?? String(electron.major) };
const bin = path.join(
  root,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite',
);
const res = spawnSync(bin, ['build', '--logLevel', 'warn'], { cwd: root, env, stdio: 'inherit' });
if (res.status !== 0) {
  console.error('electron-vite build failed');
  process.exit(res.status ?? 1);
}

// Pure-JS packages every API command loads are bundled in: Node's ESM loader reads zod's and tRPC's
// hundreds of files one by one (~100 ms of a 400 ms `jobs list`). Native and large engines
// (better-sqlite3, onnxruntime-node, node-llama-cpp, mammoth, unpdf) stay external and load lazily.
const BUNDLED_PACKAGES = new Set(['zod', '@trpc/server', 'commander']);
const packageName = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') || !BUNDLED_PACKAGES.has(packageName(args.path))
        ? { path: args.path, external: true }
        : undefined,
    );
  },
};

// zod re-exports its ~50 translations as `z.locales`, which defeats tree-shaking: half of the
// bundled zod (~360 kB parsed on every API command). The app only speaks English, so the
// namespace keeps `en` alone (zod's own default locale, imported separately, is unaffected).
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](?:classic|core)[\\/]/.test(args.importer)
        ? { path: path.join(path.dirname(args.importer), '../locales/en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

const cliOut = path.join(root, 'out/cli');
const result = await build({
  entryPoints: {
    main: path.join(root, 'src-main/cli/main.ts'),
    // The detection worker runs in its own thread, so it needs its own entry (src-main/checks).
    'detector-worker': path.join(root, 'src-main/checks/detector-worker.ts'),
  },
  absWorkingDir: root,
  outdir: cliOut,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Dynamic imports become chunks, so heavy engines (node-llama-cpp) load only when used.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [externalPackages, zodEnglishOnly],
  metafile: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
// Chunk names carry a hash: remove the previous build's chunks (after writing, so a CLI running
// meanwhile never finds its entry missing).
const written = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(root, f)));
const chunksDir = path.join(cliOut, 'chunks');
for (const f of fs.existsSync(chunksDir) ? fs.readdirSync(chunksDir) : []) {
  const full = path.join(chunksDir, f);
  if (!written.has(full)) fs.rmSync(full);
}
fs.writeFileSync(stamp, new Date().toISOString());
console.error(`palimpsest: built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
