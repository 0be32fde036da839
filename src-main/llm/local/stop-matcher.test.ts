import { describe, expect, it } from 'vitest';
import { StopMatcher } from './stop-matcher';

function feed(stops: string[], chunks: string[]): { out: string; stopped: boolean } {
  const m = new StopMatcher(stops);
  let out = '';
  for (const c of chunks) {
    const r = m.push(c);
    out += r.emit;
    if (r.stopped) return { out, stopped: true };
  }
  return { out: out + m.flush(), stopped: false };
}

describe('StopMatcher', () => {
  it('passes text through when there are no stops', () => {
    expect(feed([], ['a', 'b'])).toEqual({ out: 'ab', stopped: false });
  });

  it('stops before a stop string split across chunks and drops it', () => {
    expect(feed(['\n\n'], ['Hello', '\n', '\nWorld'])).toEqual({ out: 'Hello', stopped: true });
    expect(feed(['END'], ['abc E', 'N', 'D more'])).toEqual({ out: 'abc ', stopped: true });
  });

  it('holds back a possible stop prefix, then releases it when it does not match', () => {
    const m = new StopMatcher(['END']);
    expect(m.push('the E')).toEqual({ emit: 'the ', stopped: false });
    expect(m.push('Nx')).toEqual({ emit: 'ENx', stopped: false });
    expect(m.push('EN')).toEqual({ emit: '', stopped: false });
    expect(m.flush()).toBe('EN');
  });

  it('cuts at the earliest of several stops', () => {
    expect(feed(['b', 'a'], ['xxab'])).toEqual({ out: 'xx', stopped: true });
  });
});
