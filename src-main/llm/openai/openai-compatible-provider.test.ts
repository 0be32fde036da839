import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LlmError } from '../errors';
import type { GenerationPart, GenerationRequest } from '../provider';
import { startFakeOpenAiServer, writeJson, writeSseStream, type FakeOpenAiServer } from './fake-openai-server';
import { OpenAiCompatibleProvider, normalizeBaseUrl } from './openai-compatible-provider';

const chat: GenerationRequest = {
  kind: 'chat',
  model: 'fake-model',
  messages: [{ role: 'user', content: 'Tell a story' }],
};
const fastRetry = { baseDelayMs: 5, maxDelayMs: 2000 };

async function collect(it: AsyncIterable<GenerationPart>): Promise<{ text: string; parts: GenerationPart[] }> {
  const parts: GenerationPart[] = [];
  for await (const p of it) parts.push(p);
  return { text: parts.map((p) => (p.type === 'text' ? p.text : '')).join(''), parts };
}

function logprobsOf(parts: GenerationPart[]) {
  return parts.flatMap((p) => (p.type === 'text' ? (p.logprobs ?? []) : []));
}

async function failure(it: AsyncIterable<GenerationPart>): Promise<LlmError> {
  try {
    await collect(it);
  } catch (e) {
    if (LlmError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected the generation to fail');
}

describe('OpenAiCompatibleProvider', () => {
  let server: FakeOpenAiServer;
  beforeEach(async () => {
    server = await startFakeOpenAiServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('streams a chat completion with usage, timings and the request settings on the wire', async () => {
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, apiKey: 'sk-test' });
    const { text, parts } = await collect(
      p.generate({
        ...chat,
        maxTokens: 32,
        temperature: 0.7,
        topP: 0.9,
        topK: 40,
        seed: 42,
        stop: ['\n\n'],
        logprobs: true,
      }),
    );
    expect(text).toBe('Once upon a time');
    const finish = parts.at(-1)!;
    expect(finish).toMatchObject({ type: 'finish', reason: 'stop', usage: { promptTokens: 7, completionTokens: 4 } });
    if (finish.type === 'finish') {
      expect(finish.timings.timeToFirstTokenMs).toBeGreaterThan(0);
      expect(finish.timings.totalMs).toBeGreaterThanOrEqual(finish.timings.timeToFirstTokenMs);
    }
    // Events from one network read may be coalesced into one part; logprobs stay per token.
    expect(logprobsOf(parts)).toEqual([
      { token: 'Once', logprob: -0.5 },
      { token: ' upon', logprob: -0.5 },
      { token: ' a', logprob: -0.5 },
      { token: ' time', logprob: -0.5 },
    ]);
    const req = server.requests.at(-1)!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.body).toMatchObject({
      model: 'fake-model',
      stream: true,
      max_tokens: 32,
      temperature: 0.7,
      top_p: 0.9,
      top_k: 40,
      seed: 42,
      stop: ['\n\n'],
      logprobs: true,
      stream_options: { include_usage: true },
    });
  });

  it('streams a raw completion from /completions with legacy logprobs', async () => {
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    const { text, parts } = await collect(
      p.generate({ kind: 'completion', model: 'fake-model', prompt: 'Once', logprobs: true }),
    );
    expect(text).toBe('Once upon a time');
    expect(logprobsOf(parts)[1]).toEqual({ token: ' upon', logprob: -0.25 });
    expect(server.requests.at(-1)).toMatchObject({ path: '/v1/completions', body: { prompt: 'Once', logprobs: 1 } });
  });

  // Defect 16: 16 tokens the server generated at 5,192 tok/s were recorded as 36,033 tok/s, because
  // tokens that arrive in one network read were timed as if generated in no time.
  it("takes tokens/s from llama.cpp's own timings when the server sends them", async () => {
    const tokens = Array.from({ length: 16 }, (_, i) => ` t${i}`);
    server.handle((_req, res) =>
      writeSseStream(res, tokens, {
        batch: true,
        usage: false,
        timings: { prompt_n: 9, prompt_ms: 2.1, predicted_n: 16, predicted_ms: 3.08, predicted_per_second: 5192.2 },
      }),
    );
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    const finish = (await collect(p.generate(chat))).parts.at(-1)!;
    expect(finish).toMatchObject({
      type: 'finish',
      usage: { promptTokens: 9, completionTokens: 16 },
      timings: { tokensPerSecond: 5192.2 },
    });
  });

  it('never inflates tokens/s when the whole answer arrives in one read and the server sends no timings', async () => {
    const tokens = Array.from({ length: 16 }, (_, i) => ` t${i}`);
    server.handle((_req, res) => writeSseStream(res, tokens, { batch: true }));
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    const finish = (await collect(p.generate(chat))).parts.at(-1)!;
    if (finish.type !== 'finish') throw new Error('no finish part');
    // Nothing can be timed between tokens: the rate over the whole call is the honest figure.
    const overall = 16 / (finish.timings.totalMs / 1000);
    expect(finish.timings.tokensPerSecond).toBeGreaterThan(0);
    expect(finish.timings.tokensPerSecond).toBeLessThanOrEqual(overall * 1.01);
  });

  it('measures tokens/s from the first token when tokens arrive over time', async () => {
    server.handle((_req, res) => writeSseStream(res, ['a', 'b', 'c', 'd', 'e', 'f'], { delayMs: 40 }));
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    const finish = (await collect(p.generate(chat))).parts.at(-1)!;
    if (finish.type !== 'finish') throw new Error('no finish part');
    // 5 tokens after the first, one per 40 ms: about 25 tok/s (timer jitter only slows it).
    expect(finish.timings.tokensPerSecond).toBeGreaterThan(12);
    expect(finish.timings.tokensPerSecond).toBeLessThan(27);
  });

  it('reports finish reason length', async () => {
    server.handle((_req, res) => writeSseStream(res, ['a', 'b'], { finishReason: 'length' }));
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    const { parts } = await collect(p.generate(chat));
    expect(parts.at(-1)).toMatchObject({ reason: 'length' });
  });

  it('ends with reason abort when the caller aborts mid-stream, keeping the text so far', async () => {
    server.handle((_req, res) =>
      writeSseStream(
        res,
        Array.from({ length: 200 }, (_, i) => `t${i} `),
        { delayMs: 5 },
      ),
    );
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    const ac = new AbortController();
    const parts: GenerationPart[] = [];
    for await (const part of p.generate(chat, ac.signal)) {
      parts.push(part);
      if (parts.length === 3) ac.abort();
    }
    const text = parts.map((x) => (x.type === 'text' ? x.text : '')).join('');
    const tokens = text.split(' ').filter(Boolean).length;
    expect(tokens).toBeGreaterThanOrEqual(3);
    expect(tokens).toBeLessThan(200);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'abort', usage: { completionTokens: tokens } });
  });

  // Defect 18: a server dying mid-answer was `bad_response`, so a pool did not mark it down.
  it('treats a stream cut mid-way as unreachable and does not retry after the first token', async () => {
    server.handle((_req, res) => writeSseStream(res, ['a', 'b', 'c', 'd'], { cutAfter: 2 }));
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, retry: fastRetry });
    const seen: string[] = [];
    let err: unknown;
    try {
      for await (const part of p.generate(chat)) if (part.type === 'text') seen.push(part.text);
    } catch (e) {
      err = e;
    }
    expect(LlmError.isInstance(err) && err.code).toBe('unreachable');
    expect(seen.join('')).toBe('ab');
    expect(server.requests).toHaveLength(1);
  });

  it('honours Retry-After on 429, then succeeds', async () => {
    let calls = 0;
    const times: number[] = [];
    server.handle((req, res) => {
      times.push(performance.now());
      if (++calls === 1)
        return writeJson(res, 429, { error: { message: 'Rate limit reached' } }, { 'retry-after': '1' });
      return writeSseStream(res, ['ok']);
    });
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, retry: fastRetry });
    const { text } = await collect(p.generate(chat));
    expect(text).toBe('ok');
    expect(calls).toBe(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('gives up with rate_limited when the server asks for longer than the retry cap', async () => {
    server.handle((_req, res) => writeJson(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '120' }));
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, retry: fastRetry });
    const err = await failure(p.generate(chat));
    expect(err.code).toBe('rate_limited');
    expect(err.details.retryAfterMs).toBe(120_000);
    expect(server.requests).toHaveLength(1);
  });

  it('fails fast with auth on 401 and never echoes the key', async () => {
    server.handle((_req, res) => writeJson(res, 401, { error: { message: 'Incorrect API key provided: sk-secret' } }));
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, apiKey: 'sk-secret', retry: fastRetry });
    const err = await failure(p.generate(chat));
    expect(err.code).toBe('auth');
    expect(err.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
    expect(JSON.stringify({ m: err.userMessage, d: err.details })).not.toContain('sk-secret');
    expect(err.details.serverMessage).toBe('Incorrect API key provided: [redacted]');
  });

  it('maps context overflow and missing models', async () => {
    server.handle((_req, res) =>
      writeJson(res, 400, {
        error: { message: "This model's maximum context length is 4096 tokens", code: 'context_length_exceeded' },
      }),
    );
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    expect((await failure(p.generate(chat))).code).toBe('context_overflow');
    server.handle((_req, res) =>
      writeJson(res, 404, { error: { message: 'model "nope" not found, try pulling it first' } }),
    );
    expect((await failure(p.generate({ ...chat, model: 'nope' }))).code).toBe('model_missing');
  });

  // Defect 18: llama-server's own wording was not recognised as a context overflow.
  it("recognises llama-server's context overflows, up front and mid-stream", async () => {
    server.handle((_req, res) =>
      writeJson(res, 400, {
        error: {
          code: 400,
          message: 'the request exceeds the available context size, try increasing it',
          type: 'exceed_context_size_error',
          n_prompt_tokens: 5000,
          n_ctx: 4096,
        },
      }),
    );
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    expect((await failure(p.generate(chat))).code).toBe('context_overflow');
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'Once' } }] })}\n\n`);
      res.end(
        `data: ${JSON.stringify({ error: { code: 500, message: 'Context size has been exceeded.', type: 'server_error' } })}\n\n`,
      );
    });
    const err = await failure(p.generate(chat));
    expect(err.code).toBe('context_overflow');
    expect(err.userMessage).toMatch(/longer than fake-model can read/);
  });

  it('reports an HTML page as bad_response', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><body>Welcome to nginx</body></html>');
    });
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    const err = await failure(p.generate(chat));
    expect(err.code).toBe('bad_response');
    expect(err.userMessage).toMatch(/web page/);
  });

  it('times out when the server never answers, retrying first', async () => {
    server.handle(() => {
      /* never answer */
    });
    const p = new OpenAiCompatibleProvider({
      baseUrl: server.baseUrl,
      connectTimeoutMs: 150,
      answerTimeoutMs: 1_000,
      retry: { ...fastRetry, maxRetries: 1 },
    });
    const err = await failure(p.generate(chat));
    expect(err.code).toBe('timeout');
    expect(err.details.phase).toBe('connect');
    expect(server.requests).toHaveLength(2);
  });

  // Defect 5: a hanging endpoint held `models generate` for 4 minutes (a 60 s connect timeout
  // retried 3 times) while the message said 60 s.
  it('bounds the whole wait for a hanging server, retries included, and says the real bound', async () => {
    server.handle(() => {
      /* never answer */
    });
    const p = new OpenAiCompatibleProvider({
      baseUrl: server.baseUrl,
      connectTimeoutMs: 200,
      answerTimeoutMs: 500,
      retry: { ...fastRetry, maxRetries: 3 },
    });
    const t0 = performance.now();
    const err = await failure(p.generate(chat));
    const elapsed = performance.now() - t0;
    expect(err.code).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(800); // 4 attempts × 200 ms + backoff would be over 800
    expect(err.userMessage).toContain('within 0.5 s');
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.length).toBeLessThan(4);
  });

  it('defaults the whole wait to the connect timeout, so one hanging attempt is not retried', async () => {
    server.handle(() => {
      /* never answer */
    });
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, connectTimeoutMs: 300, retry: fastRetry });
    const t0 = performance.now();
    const err = await failure(p.generate(chat));
    expect(performance.now() - t0).toBeLessThan(600);
    expect(err).toMatchObject({ code: 'timeout', details: { phase: 'deadline', timeoutMs: 300 } });
    expect(err.userMessage).toMatch(/did not start answering within 0\.3 s/);
    expect(server.requests).toHaveLength(1);
  });

  it('counts the wait for the first chunk after the headers against the same bound', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Headers, then nothing: a server stuck before its first token.
    });
    const p = new OpenAiCompatibleProvider({
      baseUrl: server.baseUrl,
      idleTimeoutMs: 5_000,
      answerTimeoutMs: 300,
      retry: fastRetry,
    });
    const t0 = performance.now();
    const err = await failure(p.generate(chat));
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(err).toMatchObject({ code: 'timeout', details: { phase: 'deadline' } });
  });

  it('times out when chunks stop arriving (idle timeout)', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'hi' } }] })}\n\n`);
      // ...and then silence.
    });
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, idleTimeoutMs: 150, retry: fastRetry });
    const err = await failure(p.generate(chat));
    expect(err.code).toBe('timeout');
    expect(err.details.phase).toBe('idle');
    expect(server.requests).toHaveLength(1);
  });

  it('does not mistake a slow consumer for a stalled server', async () => {
    server.handle((_req, res) => writeSseStream(res, ['a', 'b', 'c'], { delayMs: 10 }));
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, idleTimeoutMs: 100 });
    let text = '';
    for await (const part of p.generate(chat)) {
      if (part.type === 'text') text += part.text;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(text).toBe('abc');
  });

  it('reports unreachable for a closed port', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const p = new OpenAiCompatibleProvider({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      retry: { ...fastRetry, maxRetries: 1 },
    });
    const err = await failure(p.generate(chat));
    expect(err.code).toBe('unreachable');
    expect(err.userMessage).toMatch(/ECONNREFUSED/);
    await expect(p.listModels()).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('limits concurrent requests per provider', async () => {
    let active = 0;
    let peak = 0;
    server.handle(async (_req, res) => {
      active++;
      peak = Math.max(peak, active);
      await writeSseStream(res, ['x', 'y'], { delayMs: 20 });
      active--;
    });
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, maxConcurrent: 2 });
    await Promise.all(Array.from({ length: 6 }, () => collect(p.generate(chat))));
    expect(peak).toBe(2);
    expect(server.requests).toHaveLength(6);
  });

  it('lists models and accepts a server that ignores stream: true', async () => {
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl });
    expect(await p.listModels()).toEqual([{ id: 'fake-model' }]);
    server.handle((_req, res) =>
      writeJson(res, 200, {
        choices: [{ message: { content: 'whole answer' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 2 },
      }),
    );
    const { text, parts } = await collect(p.generate(chat));
    expect(text).toBe('whole answer');
    expect(parts.at(-1)).toMatchObject({ usage: { promptTokens: 3, completionTokens: 2 } });
  });

  it('drops an optional parameter a strict server rejects, once, and remembers it', async () => {
    server.handle((req, res) => {
      if (req.body && 'top_k' in req.body) {
        return writeJson(res, 400, {
          error: { message: 'Unrecognized request argument supplied: top_k', type: 'invalid_request_error' },
        });
      }
      return writeSseStream(res, ['fine']);
    });
    const p = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, sendTopK: true });
    expect((await collect(p.generate({ ...chat, topK: 40 }))).text).toBe('fine');
    expect((await collect(p.generate({ ...chat, topK: 40 }))).text).toBe('fine');
    expect(server.requests.map((r) => 'top_k' in (r.body ?? {}))).toEqual([true, false, false]);
    // A 400 about something else is not retried.
    server.handle((_req, res) => writeJson(res, 400, { error: { message: 'messages must not be empty' } }));
    expect((await failure(p.generate(chat))).code).toBe('bad_response');
  });

  it('normalises base URLs', () => {
    expect(normalizeBaseUrl('http://localhost:11434')).toBe('http://localhost:11434/v1');
    expect(normalizeBaseUrl('https://api.openai.com/v1/')).toBe('https://api.openai.com/v1');
  });
});

describe('detectOllama', () => {
  it('lists models from /api/tags and reports absence without throwing', async () => {
    const { detectOllama } = await import('./ollama');
    const server = await startFakeOpenAiServer((req, res) => {
      if (req.path === '/api/tags') {
        return writeJson(res, 200, {
          models: [
            {
              name: 'qwen2.5:0.5b',
              model: 'qwen2.5:0.5b',
              size: 397_821_319,
              details: { family: 'qwen2', quantization_level: 'Q4_K_M' },
            },
          ],
        });
      }
      writeJson(res, 404, {});
    });
    try {
      const found = await detectOllama({ url: `http://127.0.0.1:${server.port}` });
      expect(found).toEqual({
        available: true,
        url: `http://127.0.0.1:${server.port}`,
        models: [{ id: 'qwen2.5:0.5b', sizeBytes: 397_821_319, family: 'qwen2', quantization: 'Q4_K_M' }],
      });
    } finally {
      await server.close();
    }
    const absent = await detectOllama({ url: `http://127.0.0.1:${server.port}`, timeoutMs: 200 });
    expect(absent.available).toBe(false);
  });
});
