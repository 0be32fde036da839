import { describe, expect, it } from 'vitest';
import { minimalChange } from './minimal-diff';

/** No lone surrogate (String#isWellFormed is ES2024, past this project's lib). */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

const apply = (s: string, c: ReturnType<typeof minimalChange>) =>
  c ? s.slice(0, c.from) + c.insert + s.slice(c.to) : s;

describe('minimalChange', () => {
  it('keeps the common prefix and suffix', () => {
    expect(minimalChange('and listened.', 'and listened hard.')).toEqual({ from: 12, to: 12, insert: ' hard' });
    expect(minimalChange('a big dog', 'a dog')).toEqual({ from: 2, to: 6, insert: '' });
    expect(minimalChange('a cat sat', 'a dog sat')).toEqual({ from: 2, to: 5, insert: 'dog' });
    expect(minimalChange('same', 'same')).toBeNull();
    expect(minimalChange('', 'new')).toEqual({ from: 0, to: 0, insert: 'new' });
    // Repeated letters: the change is still the smallest one.
    expect(minimalChange('aaa', 'aaaa')).toEqual({ from: 3, to: 3, insert: 'a' });
  });

  it('never splits a surrogate pair', () => {
    // 😀 (d83d de00) and 😁 (d83d de01) share their high surrogate.
    const c = minimalChange('x😀y', 'x😁y')!;
    expect(c).toEqual({ from: 1, to: 3, insert: '😁' });
    const d = minimalChange('x\u{1F600}', 'x\u{1F700}')!;
    expect(d.from).toBe(1);
    for (const [a, b] of [
      ['😀😀', '😀😁😀'],
      ['a😀b', 'a😁😀b'],
      ['\u{10000}z', '\u{10400}z'],
    ] as const) {
      const ch = minimalChange(a, b)!;
      expect(apply(a, ch)).toBe(b);
      expect(wellFormed(ch.insert)).toBe(true);
      expect(wellFormed(a.slice(ch.from, ch.to))).toBe(true);
    }
  });
});
