import { describe, expect, it } from 'vitest';
import { SequencePool, type PooledSequence } from './sequence-pool';

class FakeSequence implements PooledSequence {
  cleared = 0;
  constructor(readonly n: number) {}
  async clearHistory(): Promise<void> {
    this.cleared++;
  }
}

function pool(capacity: number): { pool: SequencePool<FakeSequence>; created: FakeSequence[] } {
  const created: FakeSequence[] = [];
  const p = new SequencePool<FakeSequence>({
    create: () => {
      if (created.length >= capacity) return undefined;
      const s = new FakeSequence(created.length);
      created.push(s);
      return s;
    },
  });
  return { pool: p, created };
}

describe('SequencePool', () => {
  it('gives each key its own sequence and the same one on its next turn', async () => {
    const { pool: p } = pool(2);
    const a = await p.acquire('a');
    a.release();
    const b = await p.acquire('b');
    b.release();
    const a2 = await p.acquire('a');
    expect(a2.sequence).toBe(a.sequence);
    expect(a2.recycled).toBe(false);
    expect(b.sequence).not.toBe(a.sequence);
  });

  it('recycles the least recently used idle sequence when none are left, clearing it', async () => {
    const { pool: p } = pool(2);
    (await p.acquire('a')).release();
    (await p.acquire('b')).release();
    (await p.acquire('a')).release(); // a is now more recent than b
    const c = await p.acquire('c');
    expect(c.recycled).toBe(true);
    expect(c.sequence.n).toBe(1); // b's
    expect(c.sequence.cleared).toBe(1);
    expect(p.keys().sort()).toEqual(['a', 'c']);
    c.release();
  });

  it('serialises turns of one key and waits when every sequence is busy', async () => {
    const { pool: p } = pool(1);
    const a = await p.acquire('a');
    let second = false;
    const next = p.acquire('a').then((l) => {
      second = true;
      return l;
    });
    let other = false;
    const b = p.acquire('b').then((l) => {
      other = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(second).toBe(false);
    expect(other).toBe(false);
    a.release();
    const a2 = await next;
    expect(a2.sequence).toBe(a.sequence);
    a2.release();
    const bl = await b;
    expect(bl.recycled).toBe(true);
    bl.release();
  });

  it('stops waiting when the signal aborts', async () => {
    const { pool: p } = pool(1);
    const a = await p.acquire('a');
    const controller = new AbortController();
    const waiting = p.acquire('b', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    a.release();
  });

  it('evict clears a key and hands its sequence to the next new key', async () => {
    const { pool: p, created } = pool(2);
    (await p.acquire('a')).release();
    (await p.acquire('b')).release();
    expect(await p.evict('b')).toBe(true);
    expect(created[1]!.cleared).toBe(1);
    expect(p.keys()).toEqual(['a']);
    const c = await p.acquire('c');
    expect(c.sequence).toBe(created[1]);
    expect(c.recycled).toBe(false);
    expect(created[1]!.cleared).toBe(1); // already clear: not cleared twice
    expect(await p.evict('zzz')).toBe(false);
  });
});
