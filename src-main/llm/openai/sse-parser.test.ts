import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses events split at arbitrary byte boundaries', () => {
    const input = 'data: {"a":1}\n\n: keep-alive\n\nevent: ping\ndata: x\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < input.length; cut++) {
      const p = new SseParser();
      const events = [...p.push(input.slice(0, cut)), ...p.push(input.slice(cut)), ...p.end()];
      expect(events).toEqual([
        { event: 'message', data: '{"a":1}' },
        { event: 'ping', data: 'x' },
        { event: 'message', data: '[DONE]' },
      ]);
    }
  });

  it('handles CRLF, CR, multi-line data and ids', () => {
    const p = new SseParser();
    const events = [...p.push('id: 7\r\ndata: one\r\ndata: two\r\n\r\ndata:three\r\r'), ...p.end()];
    expect(events).toEqual([
      { event: 'message', data: 'one\ntwo', id: '7' },
      { event: 'message', data: 'three', id: '7' },
    ]);
  });

  it('flushes a final event without its blank line at end of input', () => {
    const p = new SseParser();
    expect(p.push('data: tail')).toEqual([]);
    expect(p.end()).toEqual([{ event: 'message', data: 'tail' }]);
  });
});
