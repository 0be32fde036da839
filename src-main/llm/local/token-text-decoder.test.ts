import { describe, expect, it } from 'vitest';
import { TokenTextDecoder } from './token-text-decoder';

/** Tokens are UTF-8 bytes: decoding a partial character gives U+FFFD, as llama.cpp does. */
const bytes = (tokens: readonly number[]): string => Buffer.from(tokens).toString('utf8');

describe('TokenTextDecoder', () => {
  it('emits ASCII token by token', () => {
    const d = new TokenTextDecoder(bytes);
    expect([...'hi'].map((c) => d.push(c.charCodeAt(0)))).toEqual(['h', 'i']);
  });

  it('holds byte tokens until they form a whole character', () => {
    const d = new TokenTextDecoder(bytes);
    const [a, b, c] = Buffer.from('€');
    expect(d.push(a!)).toBe('');
    expect(d.push(b!)).toBe('');
    expect(d.push(c!)).toBe('€');
  });

  it('gives up after 4 tokens of invalid UTF-8 rather than stalling', () => {
    const d = new TokenTextDecoder(bytes);
    const out = [0xff, 0xff, 0xff, 0xff].map((t) => d.push(t));
    expect(out.slice(0, 3)).toEqual(['', '', '']);
    expect(out[3]).toContain('\uFFFD');
  });

  it('passes the preceding tokens as context', () => {
    const seen: number[][] = [];
    const d = new TokenTextDecoder(
      (tokens, context) => {
        seen.push([...context]);
        return bytes(tokens);
      },
      [1, 2, 3, 4, 5],
    );
    d.push(65);
    d.push(66);
    expect(seen).toEqual([
      [2, 3, 4, 5],
      [3, 4, 5, 65],
    ]);
  });
});
