import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src-main/app';
import { startWebServer } from '../src-main/server';
import { report, timeMedian } from './util';

const CALLS = 300;

/** api.http_roundtrip: documents.get over browser-mode HTTP vs calling the core directly. */
export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-bench-api-'));
  const app = createApp({ dataDir: dir });
  const server = await startWebServer({ app });
  const doc = app.documents.create({ title: 'bench', body: 'word '.repeat(1000) });
  const url = `http://127.0.0.1:${server.port}/trpc/documents.get?input=${encodeURIComponent(JSON.stringify({ id: doc.id }))}`;
  const headers = { authorization: `Bearer ${server.token}` };

  const http = await timeMedian(5, async () => {
    for (let i = 0; i < CALLS; i++) {
      const res = await fetch(url, { headers });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await res.json();
    }
  });
  const direct = await timeMedian(5, () => {
    for (let i = 0; i < CALLS; i++) app.documents.get(doc.id);
  });
  await server.close();
  await app.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  const perHttp = http / CALLS;
  const perDirect = direct / CALLS;
  report({
    bench: 'api.http_roundtrip',
    value: perHttp,
    unit: 'ms/call',
    baseline: 'core function called directly',
    baseline_value: perDirect,
    x: perDirect / perHttp,
  });
}
