/**
 * Test fixtures: stories by synthetic authors with clearly different styles (long formal
 * sentences with semicolons; short exclamations with contractions; dialogue with questions), and
 * an in-memory StoryReader. Used by the export and analysis tests only.
 */
import { storyConfigSchema, type Story, type StoryReader, type StorySummary } from '../common/contract';
import { seededRandom } from './split';

type Rnd = () => number;
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const NOUNS = ['lighthouse', 'river', 'village', 'letter', 'garden', 'storm', 'bridge', 'lantern', 'forest', 'market'];

const STYLES: Record<string, (rnd: Rnd) => string> = {
  formal: (rnd) =>
    `Nevertheless, the ${pick(rnd, NOUNS)} remained a considerable source of contemplation for the inhabitants; ` +
    `consequently, their ${pick(rnd, ['deliberations', 'observations', 'recollections'])} concerning its ` +
    `${pick(rnd, ['significance', 'administration', 'preservation'])} were, by all accounts, exceedingly ` +
    `${pick(rnd, ['elaborate', 'systematic', 'comprehensive'])}, and the ${pick(rnd, NOUNS)} itself was ` +
    `${pick(rnd, ['documented', 'catalogued', 'examined'])} with unusual thoroughness.`,
  terse: (rnd) =>
    `${pick(rnd, ["I can't", "We don't", "It's", "You won't", "She's"])} ${pick(rnd, ['go', 'stop', 'run', 'wait', 'look'])}! ` +
    `${pick(rnd, ['Run', 'Go', 'Hide', 'Jump'])} now. ${pick(rnd, ["Don't", "Can't", "Won't"])} ${pick(rnd, ['cry', 'stay', 'look back'])}. ` +
    `The ${pick(rnd, NOUNS)} is gone!`,
  dialogue: (rnd) =>
    `"Where is the ${pick(rnd, NOUNS)}?" asked ${pick(rnd, ['Mara', 'Tobias', 'Elena', 'Jonah'])}. ` +
    `"Is it near the ${pick(rnd, NOUNS)}?" "Maybe," said ${pick(rnd, ['Mara', 'Tobias', 'Elena', 'Jonah'])}, "or maybe not?"`,
};
export const SYNTHETIC_STYLES = Object.keys(STYLES);

function paragraph(style: string, rnd: Rnd, sentences: number): string {
  return Array.from({ length: sentences }, () => STYLES[style]!(rnd)).join(' ');
}

/** A done story whose part i is written by authors[i % authors.length] in that author's style. */
export function syntheticStory(id: string, authors: readonly string[], seed: number, partsPerAuthor = 1): Story {
  const rnd = seededRandom(seed);
  const parts = Array.from({ length: authors.length * partsPerAuthor }, (_, index) => {
    const author = authors[index % authors.length]!;
    // Some parts hold two paragraphs: a part may span several units.
    const paras = rnd() < 0.3 ? 2 : 1;
    const text = Array.from({ length: paras }, () => paragraph(author, rnd, 2 + Math.floor(rnd() * 2))).join('\n\n');
    return {
      index,
      authorId: author,
      authorName: author,
      model: `synthetic/${author}`,
      text,
      words: text.split(/\s+/).filter(Boolean).length,
      promptHash: null,
      promptTokens: 0,
      reusedTokens: 0,
      completionTokens: 0,
      timeToFirstTokenMs: null,
      totalMs: null,
      attempts: 1,
      generationId: null,
    };
  });
  const unique = [...new Set(authors)];
  return {
    id,
    prompt: `A story about a ${NOUNS[seed % NOUNS.length]}, "quoted", with a comma`,
    promptSource: 'fixture',
    documentId: `doc-${id}`,
    authors: unique.map((a) => ({ id: a, name: a, kind: 'model', model: `synthetic/${a}`, color: '#888888' })),
    config: storyConfigSchema.parse({ seed }),
    status: 'done',
    parts,
    text: parts.map((p) => p.text).join('\n\n'),
    error: null,
    batchId: null,
    createdAt: 1_700_000_000_000 + seed,
    finishedAt: 1_700_000_000_000 + seed,
  };
}

/** `n` stories with 1 to 3 synthetic authors in varying orders. */
export function syntheticStories(n: number, seed = 1): Story[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const k = 1 + Math.floor(rnd() * 3);
    const authors = [...SYNTHETIC_STYLES].sort(() => rnd() - 0.5).slice(0, k);
    return syntheticStory(`story-${i + 1}`, authors, seed * 1000 + i, 1 + Math.floor(rnd() * 2));
  });
}

export class MemoryStoryReader implements StoryReader {
  constructor(private readonly stories: Story[]) {}
  listStories(): { items: StorySummary[]; total: number } {
    const items = this.stories.map(({ parts, text, config: _c, ...rest }) => ({
      ...rest,
      parts: parts.length,
      words: parts.reduce((s, p) => s + p.words, 0),
      excerpt: text.slice(0, 120),
    }));
    return { items, total: items.length };
  }
  getStory(id: string): Story {
    const s = this.stories.find((x) => x.id === id);
    if (!s) throw new Error(`story ${id} not found`);
    return s;
  }
  *finishedStories(batchId?: string): Iterable<Story> {
    for (const s of this.stories) if (s.status === 'done' && (batchId === undefined || s.batchId === batchId)) yield s;
  }
}
