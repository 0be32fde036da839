import { describe, expect, it } from 'vitest';
import { resolveStoryConfig } from '../presets';
import { buildPartPrompt, type PartPromptInput } from './part-prompt';

const PERSONAS = ['Lily tells it.', 'Tom tells it.', ''];
const TEXTS = ['Lily found a ball.', 'Tom kicked it high.', 'It landed in a tree.', 'They laughed.'];

function prompt(index: number, overrides: Partial<PartPromptInput> = {}): string {
  return buildPartPrompt({
    config: resolveStoryConfig({ preset: 'custom', context: 'full', wordsPerPart: 20, partsPerAuthor: 1 }),
    storyPrompt: 'A girl finds a red ball.',
    index,
    total: 3,
    personas: PERSONAS,
    previous: TEXTS.slice(0, index).map((text) => ({ text })),
    ...overrides,
  });
}

describe('buildPartPrompt, full-context mode', () => {
  it("extends the previous part's prompt + text, so a shared KV sequence evaluates only the new header", () => {
    for (let k = 1; k < 3; k++) {
      const before = prompt(k - 1) + TEXTS[k - 1]!;
      const now = prompt(k);
      expect(now.startsWith(before)).toBe(true);
      // What is evaluated anew: the separator and the author's short header, nothing else.
      expect(now.slice(before.length)).toBe(k === 2 ? '\n\n[Author 3, last part]\n' : '\n\n[Author 2]\n');
    }
  });

  it('states the personas and the first / next / last instructions once, before the turns', () => {
    const text = buildPartPrompt({
      config: resolveStoryConfig({ preset: 'custom', context: 'full', wordsPerPart: 20, partsPerAuthor: 2 }),
      storyPrompt: 'A girl finds a red ball.',
      index: 3,
      total: 6,
      personas: PERSONAS,
      previous: TEXTS.slice(0, 3).map((t) => ({ text: t })),
    });
    expect(text).toBe(
      'Story prompt: A girl finds a red ball.\n' +
        'Author 1: Lily tells it.\n' +
        'Author 2: Tom tells it.\n' +
        'First part: Begin the story (20 words).\n' +
        'Next parts: Continue the story (20 words).\n' +
        'Last part: End the story (20 words).\n\n' +
        '[Author 1]\nLily found a ball.\n\n' +
        '[Author 2]\nTom kicked it high.\n\n' +
        '[Author 3]\nIt landed in a tree.\n\n' +
        // Authors take turns again from the first one.
        '[Author 1]\n',
    );
    expect(text.split('Lily tells it.')).toHaveLength(2);
  });

  it('leaves out instructions of positions the story does not have', () => {
    const one = prompt(0, { total: 1, personas: ['Lily tells it.'] });
    expect(one).toContain('First part:');
    expect(one).not.toContain('Next parts:');
    expect(one).not.toContain('Last part:');
    expect(one.endsWith('[Author 1]\n')).toBe(true);
    const two = prompt(1, { total: 2, personas: ['Lily tells it.', 'Tom tells it.'] });
    expect(two).not.toContain('Next parts:');
    expect(two.endsWith('[Author 2, last part]\n')).toBe(true);
  });
});

describe('buildPartPrompt, summary mode', () => {
  it("gives the summary and last sentence, then the part's instruction and its author's persona", () => {
    const text = buildPartPrompt({
      config: resolveStoryConfig({ preset: 'collabstory', wordsPerPart: 180 }),
      storyPrompt: 'A girl finds a red ball.',
      index: 1,
      total: 3,
      personas: PERSONAS,
      previous: [{ text: TEXTS[0]! }],
      summary: 'Lily found a ball.',
      lastSentence: 'Lily found a ball.',
    });
    expect(
      text.startsWith('Story prompt: A girl finds a red ball.\n\nSummary of the story so far: Lily found a ball.\n\n'),
    ).toBe(true);
    expect(text).toContain('Last sentence of the story so far: Lily found a ball.\n\n[Continue the storyline');
    expect(text.endsWith(' Tom tells it.]\n')).toBe(true);
    expect(text).not.toContain('Lily tells it.');
  });
});
