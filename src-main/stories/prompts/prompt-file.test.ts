import { describe, expect, it } from 'vitest';
import { builtinPrompts } from './builtin-prompts';
import { parsePromptFile } from './prompt-file';

describe('parsePromptFile', () => {
  it('txt: one prompt a line, blank and # lines skipped, [WP] tags removed', () => {
    const r = parsePromptFile('p.txt', '[WP] A red door.\n\n# comment\nA second moon rises.\r\n');
    expect(r.prompts).toEqual([
      { text: 'A red door.', source: 'p.txt:1' },
      { text: 'A second moon rises.', source: 'p.txt:4' },
    ]);
    expect(r.errors).toEqual([]);
  });

  it('CSV: the prompt column with quoted commas, quotes and newlines; broken rows reported by line', () => {
    const csv = [
      'id,prompt',
      'a,"A town, a bridge, and a ""promise"""',
      'b,"Two lines',
      'in one field"',
      'c,too,many',
      'd,',
      'e,"never closed',
    ].join('\n');
    const r = parsePromptFile('set.csv', csv);
    expect(r.prompts).toEqual([
      { text: 'A town, a bridge, and a "promise"', source: 'set.csv#a' },
      { text: 'Two lines in one field', source: 'set.csv#b' },
    ]);
    expect(r.errors.map((e) => e.line)).toEqual([5, 6, 7]);
    expect(r.errors[0]!.message).toMatch(/Expected 2 fields, found 3/);
    expect(parsePromptFile('x.csv', 'text\nhello').errors[0]!.message).toMatch(/"prompt" column/);
  });

  it('JSONL: {"prompt"} or {"id","prompt"}; bad JSON and wrong shapes reported, the rest kept', () => {
    const r = parsePromptFile(
      'p.jsonl',
      ['{"prompt":"A kite."}', '{"id":7,"prompt":"A map."}', '{"prompt":', '["x"]', '{"prompt":42}', ''].join('\n'),
    );
    expect(r.prompts).toEqual([
      { text: 'A kite.', source: 'p.jsonl:1' },
      { text: 'A map.', source: 'p.jsonl#7' },
    ]);
    expect(r.errors).toEqual([
      { line: 3, message: 'Not valid JSON.' },
      { line: 4, message: 'Expected an object with a "prompt" string.' },
      { line: 5, message: 'Expected an object with a "prompt" string.' },
    ]);
  });

  it('refuses binary content', () => {
    expect(parsePromptFile('a.txt', 'abc\u0000def').errors[0]!.message).toMatch(/not a text file/);
  });

  it('the built-in set has at least 30 distinct prompts with stable ids', () => {
    const p = builtinPrompts();
    expect(p.length).toBeGreaterThanOrEqual(30);
    expect(new Set(p.map((x) => x.source)).size).toBe(p.length);
    expect(new Set(p.map((x) => x.text)).size).toBe(p.length);
  });
});
