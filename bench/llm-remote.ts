/**
 * llm.sse_throughput: tokens/s through OpenAiCompatibleProvider (fetch + SSE parsing + JSON per
 * chunk + part objects) vs reading the same HTTP response as raw bytes, from a loopback server
 * streaming TOKENS one-token chunks in the real OpenAI format. The server runs in a worker
 * thread with its payload pre-serialised, so both sides pay the same, small, serving cost and
 * the ratio shows what the client adds. Medians of REPS interleaved runs.
 * Run alone with `npx tsx bench/llm-remote.ts`.
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OpenAiCompatibleProvider } from '../src-main/llm/openai';
import type { GenerationRequest } from '../src-main/llm/provider';
import { median, report } from './util';

const TOKENS = 20_000;
const REPS = 7;
/** Length of all streamed text: tokens are ' tok0' … ' tok99' repeating. */
const EXPECTED_CHARS = Array.from({ length: TOKENS }, (_, i) => ` tok${i % 100}`).join('').length;

/** Plain JS: the worker must not depend on the TS loader. */
const SERVER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const n = workerData.tokens;
const events = [];
for (let i = 0; i < n; i++) {
  events.push('data: ' + JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm',
    choices: [{ index: 0, delta: { content: ' tok' + (i % 100) }, finish_reason: null }] }) + '\\n\\n');
}
events.push('data: ' + JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + '\\n\\n');
events.push('data: ' + JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: n } }) + '\\n\\n');
events.push('data: [DONE]\\n\\n');
// Groups of 16 events per write: small chunks like a real server's, without a syscall per token.
const writes = [];
for (let i = 0; i < events.length; i += 16) writes.push(events.slice(i, i + 16).join(''));
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let i = 0;
    const pump = () => {
      while (i < writes.length) if (!res.write(writes[i++])) return res.once('drain', pump);
      res.end();
    };
    pump();
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => m === 'close' && server.close(() => process.exit(0)));
`;

export async function run(): Promise<void> {
  const worker = new Worker(SERVER, { eval: true, workerData: { tokens: TOKENS } });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const provider = new OpenAiCompatibleProvider({ baseUrl, retry: { maxRetries: 0 } });
  const request: GenerationRequest = { kind: 'chat', model: 'm', messages: [{ role: 'user', content: 'go' }] };

  const viaClient = async (): Promise<number> => {
    const t0 = performance.now();
    let chars = 0;
    let tokens = 0;
    for await (const part of provider.generate(request)) {
      if (part.type === 'text') chars += part.text.length;
      else tokens = part.usage.completionTokens;
    }
    if (chars !== EXPECTED_CHARS || tokens !== TOKENS) throw new Error(`client saw ${chars} chars, ${tokens} tokens`);
    return TOKENS / ((performance.now() - t0) / 1000);
  };
  const rawRead = async (): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const reader = res.body!.getReader();
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    if (bytes === 0) throw new Error('raw read got nothing');
    return TOKENS / ((performance.now() - t0) / 1000);
  };

  try {
    await viaClient();
    await rawRead();
    const client: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < REPS; i++) {
      // Interleaved so background load on the shared cores hits both alike.
      client.push(await viaClient());
      raw.push(await rawRead());
    }
    const value = median(client);
    const baseline = median(raw);
    report({
      bench: 'llm.sse_throughput',
      value,
      unit: 'tok/s',
      baseline: 'raw stream read',
      baseline_value: baseline,
      x: value / baseline,
    });
  } finally {
    await provider.dispose();
    worker.postMessage('close');
    await new Promise((r) => worker.once('exit', r));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
