import { describe, expect, it } from 'vitest';
import { batchStoryCount, distinctOrders, moveItem, storiesPerPrompt } from './batch-plan';

describe('batch plan', () => {
  it('counts distinct orders of an author set', () => {
    expect(distinctOrders(['a'])).toBe(1);
    expect(distinctOrders(['a', 'b', 'c'])).toBe(6);
    expect(distinctOrders(['a', 'a', 'b'])).toBe(3);
    expect(distinctOrders(['a', 'b', 'c', 'd', 'e'])).toBe(120);
  });

  it('multiplies prompts by sets, and by orders when all orders are asked for', () => {
    const sets = [['a', 'b', 'c'], ['a', 'b'], ['c'], []];
    expect(storiesPerPrompt(sets, 'given')).toBe(3);
    expect(storiesPerPrompt(sets, 'all')).toBe(6 + 2 + 1);
    expect(batchStoryCount(4, sets, 'given')).toBe(12);
    expect(batchStoryCount(4, sets, 'all')).toBe(36);
    expect(batchStoryCount(0, sets, 'all')).toBe(0);
  });

  it('moves an item and ignores moves out of range', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b'], 1, 2)).toEqual(['a', 'b']);
  });
});
