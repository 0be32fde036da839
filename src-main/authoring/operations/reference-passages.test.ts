import { describe, expect, it } from 'vitest';
import type { Passage } from '../../library/common/contract';
import { MAX_REFERENCE_WORDS, referenceBlock, type ReferenceSource } from './reference-passages';

const passage = (id: number, words: number, page: number | null = null): Passage => ({
  id,
  documentId: `d${id}`,
  doc: `doc${id}.pdf`,
  chunk: id - 1,
  text: Array.from({ length: words }, (_, i) => `w${id}_${i}`).join(' '),
  page,
  start: 0,
  end: 0,
  heading: null,
});

const source = (passages: Passage[]): ReferenceSource => ({
  byIds: (ids) => ids.flatMap((id) => passages.filter((p) => p.id === id)),
  pinned: () => passages,
});

describe('reference passages for LLM operations', () => {
  it('bounds the passages to 2,000 words, cutting the one that crosses it and leaving out the rest', () => {
    const refs = referenceBlock(source([passage(1, 1500, 3), passage(2, 800), passage(3, 100)]), { usePinned: true });
    expect(MAX_REFERENCE_WORDS).toBe(2000);
    expect(refs.words).toBe(2000);
    expect(refs.used.map((u) => [u.doc, u.words, u.cut])).toEqual([
      ['doc1.pdf', 1500, false],
      ['doc2.pdf', 500, true],
    ]);
    expect(refs.description).toBe(
      '2 library passages (2,000 words: doc1.pdf p. 3, doc2.pdf #2); 1 more left out by the 2,000-word bound',
    );
    expect(refs.text).toContain('<reference n="2" source="doc2.pdf #2">');
    expect(refs.text).not.toContain('w2_500');
    expect(refs.text).not.toContain('w3_0');
  });

  it('takes chosen passages in order, and refuses when none exist or nothing is pinned', () => {
    const all = [passage(1, 10), passage(2, 10)];
    expect(referenceBlock(source(all), { passages: [2, 1, 2] }).used.map((u) => u.chunkId)).toEqual([2, 1]);
    expect(referenceBlock(source(all), {})).toMatchObject({ used: [], text: '' });
    expect(() => referenceBlock(source(all), { passages: [9] })).toThrow(/exist/);
    expect(() => referenceBlock(source([]), { usePinned: true })).toThrow(/pin some first/);
    expect(() => referenceBlock(undefined, { usePinned: true })).toThrow(/library is not available/);
  });
});
