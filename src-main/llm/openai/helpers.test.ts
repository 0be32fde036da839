import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep } from './backoff';
import { errorFromResponse, parseRetryAfter, redactUrl } from './classify-error';
import { Semaphore } from './semaphore';
import { buildRequestBody, readChunk, readModelList } from './wire-format';

const target = { baseUrl: 'http://h/v1', model: 'm' };

describe('wire format', () => {
  it('omits unset settings (max_tokens has a default) and top_k where unsupported', () => {
    const { path, body } = buildRequestBody(
      { kind: 'chat', model: 'm', messages: [], topK: 5 },
      { sendTopK: false, includeUsage: false },
    );
    expect(path).toBe('/chat/completions');
    expect(body).toEqual({ model: 'm', stream: true, messages: [], max_tokens: 256 });
  });

  it('reads model lists from OpenAI, llama.cpp and vLLM shapes', () => {
    expect(
      readModelList({
        data: [{ id: 'a' }, { id: 'b', meta: { n_ctx_train: 4096 } }, { id: 'c', max_model_len: 8192 }, { nope: 1 }],
      }),
    ).toEqual([{ id: 'a' }, { id: 'b', contextLength: 4096 }, { id: 'c', contextLength: 8192 }]);
  });

  it('reads error payloads and finish reasons', () => {
    expect(readChunk({ error: { message: 'boom' } }).error).toEqual({ message: 'boom' });
    expect(readChunk({ choices: [{ delta: {}, finish_reason: 'length' }] }).finishReason).toBe('length');
    expect(readChunk({ choices: [{ text: 'x', finish_reason: 'eos' }] })).toMatchObject({
      text: 'x',
      finishReason: 'stop',
    });
  });
});

describe('error classification', () => {
  it('parses Retry-After in seconds, ms and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }))).toBe(150);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });

  it('maps statuses to codes with readable messages', () => {
    const h = new Headers();
    expect(errorFromResponse(403, '{}', h, target).code).toBe('auth');
    expect(errorFromResponse(503, 'loading', h, target)).toMatchObject({ code: 'unreachable', retryable: true });
    expect(errorFromResponse(400, '{"error":"the request exceeds the available context size"}', h, target).code).toBe(
      'context_overflow',
    );
    expect(errorFromResponse(400, '{"error":{"message":"invalid temperature"}}', h, target)).toMatchObject({
      code: 'bad_response',
      retryable: false,
    });
    expect(errorFromResponse(502, '<html><body>Bad gateway</body></html>', h, target).code).toBe('bad_response');
  });

  it('removes credentials from URLs', () => {
    expect(redactUrl('https://user:pw@example.com/v1/')).toBe('https://example.com/v1');
  });
});

describe('Semaphore and backoff', () => {
  it('queues FIFO beyond the limit and lets a waiter abort', async () => {
    const s = new Semaphore(1);
    const r1 = await s.acquire();
    const ac = new AbortController();
    const waiting = s.acquire(ac.signal);
    const next = s.acquire();
    expect(s.waiting).toBe(2);
    ac.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    r1();
    r1(); // a second release is ignored
    const r3 = await next;
    expect(s.inUse).toBe(1);
    r3();
    expect(s.inUse).toBe(0);
  });

  it('backs off exponentially with jitter, honouring and capping Retry-After', async () => {
    const p = DEFAULT_RETRY_POLICY;
    expect(backoffDelay(0, p, undefined, () => 0)).toBe(125);
    expect(backoffDelay(3, p, undefined, () => 1)).toBe(2000);
    expect(backoffDelay(20, p, undefined, () => 1)).toBe(p.maxDelayMs);
    expect(backoffDelay(0, p, 1500)).toBe(1500);
    expect(backoffDelay(0, p, p.maxDelayMs + 1)).toBeUndefined();
    const ac = new AbortController();
    const slept = sleep(10_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(slept).rejects.toThrow('stop');
  });
});
