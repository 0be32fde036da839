// `npm run bench [-- AREA...]`: runs each area's bench module; every measure prints one JSON line.
import fs from 'node:fs';
import path from 'node:path';

const AREAS: Record<string, string[]> = {
  store: ['store.ts'],
  api: ['api.ts'],
  detect: ['detect.ts'],
  llm: ['llm-local.ts', 'llm-remote.ts'],
  // authoring-keystroke.ts is the editor's (authoring.keystroke_100k); a missing file is skipped.
  authoring: ['authoring.ts', 'authoring-keystroke.ts'],
  stories: ['stories.ts', 'stories-pool.ts'],
  library: ['library.ts'],
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((a) => !AREAS[a]);
if (unknown.length) {
  process.stderr.write(`Unknown bench area: ${unknown.join(', ')}. Areas: ${Object.keys(AREAS).join(', ')}\n`);
  process.exit(2);
}
let failed = false;
for (const area of wanted.length ? wanted : Object.keys(AREAS)) {
  for (const file of AREAS[area]!) {
    const full = path.join(import.meta.dirname, file);
    if (!fs.existsSync(full)) {
      process.stderr.write(`bench ${area}: ${file} not present, skipped\n`);
      continue;
    }
    try {
      const mod = (await import(full)) as { run: () => Promise<void> };
      await mod.run();
    } catch (e) {
      failed = true;
      process.stderr.write(`bench ${area}/${file} failed: ${String((e as Error)?.stack ?? e)}\n`);
    }
  }
}
process.exit(failed ? 1 : 0);
