import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { expandPaths } from './expand-paths';

function tree(files: Record<string, string>): string {
  const root = tempDir();
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), body);
  }
  return root;
}

describe('expandPaths (the one rule for detect, checks run and batch checks)', () => {
  it('walks folders for supported files, sorted, skipping hidden entries and other types', () => {
    const root = tree({
      'b.txt': 'b',
      'a.md': 'a',
      'C.DOCX': 'c',
      'notes.json': '{}',
      '.hidden.txt': 'h',
      '.git/x.txt': 'x',
      'sub/z.pdf': 'z',
      'sub/deeper/y.markdown': 'y',
    });
    const rel = (ps: string[]) => ps.map((p) => path.relative(root, p));
    expect(rel(expandPaths([root]))).toEqual(['a.md', 'b.txt', 'C.DOCX', 'sub/deeper/y.markdown', 'sub/z.pdf']);
  });

  it('keeps explicitly named files of any type and lists a file reached twice once', () => {
    const root = tree({ 'a.txt': 'a', 'b.exe': 'MZ', '.dot.txt': 'd' });
    const a = path.join(root, 'a.txt');
    expect(expandPaths([path.join(root, 'b.exe'), a, root, path.join(root, '.dot.txt')])).toEqual([
      path.join(root, 'b.exe'),
      a,
      path.join(root, '.dot.txt'),
    ]);
  });

  it('keeps relative paths relative', () => {
    const root = tree({ 'd/x.txt': 'x' });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect(expandPaths(['d'])).toEqual([path.join('d', 'x.txt')]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses missing paths, empty results and too many files', () => {
    const root = tree({ 'x.json': '{}', 'a.txt': 'a', 'b.txt': 'b' });
    expect(() => expandPaths([path.join(root, 'nope.txt')])).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => expandPaths([tree({ 'x.json': '{}' })])).toThrow(expect.objectContaining({ code: 'bad_request' }));
    expect(() => expandPaths([root], { maxFiles: 1 })).toThrow('Too many files (2)');
    expect(expandPaths([root], { maxFiles: 2 })).toHaveLength(2);
  });
});
