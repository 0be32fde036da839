import { describe, expect, it } from 'vitest';
import { MAX_REFERENCE_PASSAGES, MAX_REFERENCE_WORDS } from '../../src-main/authoring/common/reference-budget';
import { referenceBlock } from '../../src-main/authoring/operations/reference-passages';
import type { Passage } from '../../src-main/library/common/contract';
import { previewReferences } from '../../src-renderer/lib/features/editor/reference-preview';

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
  const sizes = [[10], [400, 900, 300], [1500, 800, 200], [2000, 5], [3000], [700, 700, 700, 700]];
  for (const list of sizes.map((s) => s.map((n, k) => passage(k + 1, n, k % 2 ? k : null)))) {
    it(`passages of ${list.map((p) => p.text.split(/\s+/u).length).join(', ')} words`, () => {
      const server = referenceBlock({ byIds: () => [], pinned: () => list }, { usePinned: true });
      const preview = previewReferences(list);
      expect(preview.used.map((u) => [u.id, u.words, u.cut])).toEqual(
        server.used.map((u) => [u.chunkId, u.words, u.cut]),
      );
      expect(preview.words).toBe(server.words);
      expect(preview.left).toBe(list.length - server.used.length);
      expect(preview.words).toBeLessThanOrEqual(MAX_REFERENCE_WORDS);
    });
  }

  it('previews at most the passages one request may name, and the server takes those ids as shown', () => {
    const list = Array.from({ length: MAX_REFERENCE_PASSAGES + 10 }, (_, k) => passage(k + 1, 5 + (k % 7)));
    const preview = previewReferences(list);
    expect(preview.used).toHaveLength(MAX_REFERENCE_PASSAGES);
    const byId = new Map(list.map((p) => [p.id, p]));
    const ids = preview.used.map((u) => u.id);
    const server = referenceBlock(
      { byIds: (want) => want.map((id) => byId.get(id)!), pinned: () => list },
      { passages: ids },
    );
    expect(server.used.map((u) => [u.chunkId, u.words, u.cut])).toEqual(
      preview.used.map((u) => [u.id, u.words, u.cut]),
    );
    expect(preview.left).toBe(list.length - preview.used.length);
  });
});
