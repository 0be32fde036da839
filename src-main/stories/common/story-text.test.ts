import { describe, expect, it } from 'vitest';
import { extractiveSummary } from '../generation/extractive-summary';
import { cleanPart, dropUnfinishedSentence, lastSentence, looksLikeGarbage, splitSentences } from './story-text';

describe('story text rules', () => {
  it('drops an unfinished last sentence and keeps closing quotes', () => {
    expect(dropUnfinishedSentence('She ran. "Stop!" he said. And then')).toBe('She ran. "Stop!" he said.');
    expect(dropUnfinishedSentence('No end at all')).toBe('');
    expect(cleanPart('  Once  upon\n a time. The', { dropUnfinishedSentence: true })).toBe('Once upon a time.');
    expect(cleanPart('No end', { dropUnfinishedSentence: true })).toBe('No end');
    expect(cleanPart('A red ball. It rolled.', { dropUnfinishedSentence: false, echoes: ['a red ball.'] })).toBe(
      'It rolled.',
    );
  });

  it('splits sentences and finds the last one', () => {
    expect(splitSentences('One. Two! Three? four')).toEqual(['One.', 'Two!', 'Three?', 'four']);
    expect(lastSentence('It was late. The owl slept.')).toBe('The owl slept.');
  });

  it('tells garbage from prose', () => {
    expect(looksLikeGarbage('')).toBe(true);
    expect(looksLikeGarbage('### ??? ### 1234')).toBe(true);
    expect(looksLikeGarbage('The cat sat.')).toBe(false);
  });

  it('extractive summary keeps the most central sentences in story order', () => {
    const text =
      'Lily found a red ball in the park. The red ball was shiny. Birds sang. Lily kicked the red ball to Tom. It rained later.';
    const s = extractiveSummary(text, 2);
    expect(splitSentences(s)).toHaveLength(2);
    expect(s).toContain('red ball');
    expect(text.indexOf(splitSentences(s)[0]!)).toBeLessThan(text.indexOf(splitSentences(s)[1]!));
    expect(extractiveSummary('Only one.', 3)).toBe('Only one.');
  });
});
