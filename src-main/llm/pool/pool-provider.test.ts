import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiCompatibleProvider } from '../openai/openai-compatible-provider';
import { startFakeOpenAiServer, writeSseStream, type FakeOpenAiServer } from '../openai/fake-openai-server';
import { LlmError } from '../errors';
import type { GenerationPart, GenerationRequest } from '../provider';
import { PoolProvider, type PoolMember, type PoolSnapshot } from './pool-provider';

const chat: GenerationRequest = { kind: 'chat', model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] };

async function text(it: AsyncIterable<GenerationPart>): Promise<string> {
  let s = '';
  for await (const p of it) if (p.type === 'text') s += p.text;
  return s;
}

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const member = (id: string, baseUrl: string) => ({
  id,
  provider: new OpenAiCompatibleProvider({ baseUrl, retry: { maxRetries: 0 } }),
});

describe('PoolProvider', () => {
  let a: FakeOpenAiServer;
  let b: FakeOpenAiServer;
  beforeEach(async () => {
    a = await startFakeOpenAiServer((_req, res) => writeSseStream(res, ['from-a'], { delayMs: 15 }));
    b = await startFakeOpenAiServer((_req, res) => writeSseStream(res, ['from-b'], { delayMs: 15 }));
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('spreads concurrent requests over the least busy endpoints', async () => {
    const pool = new PoolProvider({ id: 'pool:t', members: [member('a', a.baseUrl), member('b', b.baseUrl)] });
    const results = await Promise.all(Array.from({ length: 6 }, () => text(pool.generate(chat))));
    expect(results.filter((r) => r === 'from-a')).toHaveLength(3);
    expect(results.filter((r) => r === 'from-b')).toHaveLength(3);
    await pool.dispose();
  });

  it('fails over from an unreachable endpoint, marks it down, and retries it later', async () => {
    let t = 1_000;
    const dead = `http://127.0.0.1:${await closedPort()}/v1`;
    const pool = new PoolProvider({
      id: 'pool:t',
      members: [member('dead', dead), member('b', b.baseUrl)],
      startAt: 0,
      retryDownAfterMs: 5_000,
      now: () => t,
    });
    expect(await text(pool.generate(chat))).toBe('from-b');
    expect(pool.status()[0]).toMatchObject({
      id: 'dead',
      up: false,
      downUntil: 6_000,
      lastError: { code: 'unreachable' },
    });
    // While down it is skipped without a connection attempt.
    expect(await text(pool.generate(chat))).toBe('from-b');
    expect(b.requests).toHaveLength(2);
    // After the back-off window it is tried again (and found still dead, then b serves).
    t = 7_000;
    expect(await text(pool.generate(chat))).toBe('from-b');
    expect(pool.status()[0]!.downUntil).toBe(12_000);
    await pool.dispose();
  });

  it('reports unreachable when every endpoint is down, and recovers via health checks', async () => {
    const pool = new PoolProvider({ id: 'pool:t', members: [member('a', a.baseUrl)] });
    await a.close();
    await expect(text(pool.generate(chat))).rejects.toMatchObject({ code: 'unreachable' });
    expect(pool.status()[0]!.up).toBe(false);
    a = await startFakeOpenAiServer();
    (pool as unknown as { members: Array<{ provider: OpenAiCompatibleProvider }> }).members[0]!.provider =
      new OpenAiCompatibleProvider({ baseUrl: a.baseUrl });
    const status = await pool.checkHealth({ onlyDown: true });
    expect(status[0]!.up).toBe(true);
    await pool.dispose();
  });

  it('round robin rotates; a rate-limited endpoint cools down for its Retry-After and the request moves on', async () => {
    const calls: string[] = [];
    const fake = (id: string, fail?: () => LlmError): PoolMember => ({
      id,
      provider: {
        id,
        async *generate() {
          calls.push(id);
          if (fail) throw fail();
          yield { type: 'text', text: id };
          yield {
            type: 'finish',
            reason: 'stop',
            usage: { promptTokens: 0, completionTokens: 1 },
            timings: { timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: 0 },
          };
        },
        listModels: async () => [{ id: 'm' }],
        dispose: async () => {},
      },
    });
    const rr = new PoolProvider({
      id: 'pool:rr',
      strategy: 'round-robin',
      startAt: 0,
      members: [fake('a'), fake('b'), fake('c')],
    });
    for (let i = 0; i < 4; i++) await text(rr.generate(chat));
    expect(calls).toEqual(['a', 'b', 'c', 'a']);

    calls.length = 0;
    const limited = () => new LlmError('rate_limited', 'slow down', { retryAfterMs: 2_000 });
    const pool = new PoolProvider({
      id: 'pool:rl',
      members: [fake('x', limited), fake('y')],
      startAt: 0,
      now: () => 10_000,
    });
    expect(await text(pool.generate(chat))).toBe('y');
    expect(pool.status()[0]).toMatchObject({ up: false, downUntil: 12_000, lastError: { code: 'rate_limited' } });
    // An error that is about the request, not the endpoint, is not retried elsewhere.
    const bad = new PoolProvider({
      id: 'pool:bad',
      members: [fake('p', () => new LlmError('context_overflow', 'too long')), fake('q')],
      startAt: 0,
    });
    await expect(text(bad.generate(chat))).rejects.toMatchObject({ code: 'context_overflow' });
    expect(calls.filter((c) => c === 'q')).toEqual([]);
  });

  // Defect 18: the CLI builds a pool per call, and every call went to the first member.
  it('starts at a random member, so pools built per call spread their calls', async () => {
    const firsts = new Set<string>();
    for (let i = 0; i < 40 && firsts.size < 2; i++) {
      const pool = new PoolProvider({ id: 'pool:t', members: [member('a', a.baseUrl), member('b', b.baseUrl)] });
      firsts.add(await text(pool.generate(chat)));
      await pool.dispose();
    }
    expect([...firsts].sort()).toEqual(['from-a', 'from-b']);
  });

  it('remembers whom to try next and who is down across pool instances', async () => {
    let saved: PoolSnapshot | undefined;
    const memory = { read: () => saved, write: (s: PoolSnapshot) => void (saved = structuredClone(s)) };
    const dead = `http://127.0.0.1:${await closedPort()}/v1`;
    const build = () =>
      new PoolProvider({
        id: 'pool:t',
        members: [member('a', a.baseUrl), member('b', b.baseUrl), member('dead', dead)],
        strategy: 'round-robin',
        startAt: 0,
        memory,
      });
    const served: string[] = [];
    for (let i = 0; i < 4; i++) {
      const pool = build(); // one per call, as the CLI does
      served.push(await text(pool.generate(chat)));
      await pool.dispose();
    }
    // a, b, then dead fails over to a (and is marked down), then b: dead is not tried again.
    expect(served).toEqual(['from-a', 'from-b', 'from-a', 'from-b']);
    expect(saved!.down).toMatchObject({ dead: { code: 'unreachable' } });
    expect(a.requests.length + b.requests.length).toBe(4);
    const fresh = build();
    expect(fresh.status().find((m) => m.id === 'dead')).toMatchObject({
      up: false,
      lastError: { code: 'unreachable' },
    });
    await fresh.dispose();
  });

  it('marks a member that dies mid-stream down, so the next request goes elsewhere', async () => {
    a.handle((_req, res) => writeSseStream(res, ['half', ' a', ' story'], { cutAfter: 1 }));
    const pool = new PoolProvider({
      id: 'pool:t',
      members: [member('a', a.baseUrl), member('b', b.baseUrl)],
      strategy: 'round-robin',
      startAt: 0,
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const p of pool.generate(chat)) if (p.type === 'text') seen.push(p.text);
      })(),
    ).rejects.toMatchObject({ code: 'unreachable' });
    // The half-told story is not restarted elsewhere...
    expect(seen).toEqual(['half']);
    expect(b.requests).toHaveLength(0);
    expect(pool.status()[0]).toMatchObject({ id: 'a', up: false, lastError: { code: 'unreachable' } });
    // ...but the following requests skip the dead member, whatever the rotation says.
    expect(await text(pool.generate(chat))).toBe('from-b');
    expect(await text(pool.generate(chat))).toBe('from-b');
    expect(a.requests).toHaveLength(1);
    await pool.dispose();
  });
});
