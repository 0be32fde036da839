#!/usr/bin/env node
// The palimpsest CLI. The core is TypeScript, bundled to out/cli by `npm install` (prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../out/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write(
    'palimpsest: the CLI is not built yet. Run `npm install` (or `npm run build`) in the project folder.\n',
  );
  process.exit(1);
}
const { runCli } = await import(pathToFileURL(entry).href);
process.exitCode = await runCli(process.argv.slice(2));
