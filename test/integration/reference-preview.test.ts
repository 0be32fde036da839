import { describe, expect, it } from 'vitest';
import {
  citation,
  MAX_REFERENCE_PASSAGES,
  MAX_REFERENCE_WORDS,
  referenceBlock,
} from '../../src-main/authoring/operations/reference-passages';
import type { Passage } from '../../src-main/library/common/contract';
import {
  citeReference,
  previewReferences,
  REFERENCE_PASSAGE_BOUND,
  REFERENCE_WORD_BOUND,
} from '../../src-renderer/lib/features/editor/reference-preview';

const passage = (id: number, words: number, page: number | null = null): Passage => ({
  id,
  documentId: `d${id % 3}`,
  doc: `doc-${id % 3}.pdf`,
  chunk: id,
  text: Array.from({ length: words }, (_, i) => `w${id}_${i}`).join(i(id)),
  page,
  start: 0,
  end: 0,
  heading: null,
});
/** Varied whitespace between words, as extracted text has. */
const i = (id: number) => (id % 2 ? ' ' : ' \n ');

describe('the pinned-passages preview agrees with what the suggestion service sends', () => {
  it('uses the same bounds', () => {
    expect(REFERENCE_WORD_BOUND).toBe(MAX_REFERENCE_WORDS);
    expect(REFERENCE_PASSAGE_BOUND).toBe(MAX_REFERENCE_PASSAGES);
  });

  for (const sizes of [[10], [400, 900, 300], [1500, 800, 200], [2000, 5], [3000], [700, 700, 700, 700]]) {
    it(`passages of ${sizes.join(', ')} words`, () => {
      const list = sizes.map((n, k) => passage(k + 1, n, k % 2 ? k : null));
      const source = { byIds: () => [], pinned: () => list };
      const server = referenceBlock(source, { usePinned: true });
      const preview = previewReferences(list);
      expect(preview.used.map((u) => [u.id, u.words, u.cut])).toEqual(
        server.used.map((u) => [u.chunkId, u.words, u.cut]),
      );
      expect(preview.words).toBe(server.words);
      expect(preview.left).toBe(list.length - server.used.length);
      expect(preview.words).toBeLessThanOrEqual(REFERENCE_WORD_BOUND);
    });
  }

  it('cites passages as the report does', () => {
    for (const p of [passage(1, 3, 4), passage(2, 3)]) expect(citeReference(p)).toBe(citation(p));
  });
});
