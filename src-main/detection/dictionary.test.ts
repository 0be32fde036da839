import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dictionaryWords, loadDictionaryFile, misspellingRate, registerDictionary } from './dictionary';

describe('misspellingRate', () => {
  const words = new Set(['the', 'cat', 'sat', 'on', 'mat', 'because', 'it', 'was', 'warm']);

  it('counts lower-case words missing from the word list', () => {
    expect(misspellingRate('the cat sat on teh mat becuase it was warm', words)).toEqual({ checked: 10, missing: 2 });
  });

  it('leaves out capitalized words, apostrophe words, URLs and one-letter words', () => {
    const r = misspellingRate("Zanzibar the cat didn't sit at https://example.com/xyzzy or a@b.org, a mat", words);
    // Checked: the, cat, sit, at, or, mat ("a" is too short); missing: sit, at, or.
    expect(r).toEqual({ checked: 6, missing: 3 });
  });
});

describe('dictionary registry', () => {
  it('loads a gzipped list once and resolves it by name', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dict-'));
    const file = path.join(dir, 'words.txt.gz');
    writeFileSync(file, gzipSync('alpha\nbeta\n\n'));
    const set = loadDictionaryFile('test-words.txt.gz', file);
    expect([...set]).toEqual(['alpha', 'beta']);
    expect(dictionaryWords('test-words.txt.gz')).toBe(set);
    registerDictionary('other', ['x']);
    expect(dictionaryWords('other').has('x')).toBe(true);
  });

  it('names a spec dictionary that was never loaded', () => {
    expect(() => dictionaryWords('missing.txt.gz')).toThrow(/missing\.txt\.gz/);
  });
});
