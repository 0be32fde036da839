import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import { readEditsFile } from './authoring-edits-file';

describe('docs apply edits file', () => {
  it('refuses a 5 MB paste on its line, before anything is sent', async () => {
    const file = path.join(tempDir(), 'edits.jsonl');
    const edit = (insert: string) =>
      JSON.stringify({ author: 'Ann', kind: 'human', operation: 'paste', from: 0, to: 0, insert, at: 1 });
    fs.writeFileSync(file, [edit('ok'), '', edit('p'.repeat(5 * 1024 * 1024))].join('\n') + '\n');
    await expect(readEditsFile(file)).rejects.toThrow(
      'line 3: "insert" is longer than 5,000,000 characters, the most a document holds; nothing was applied.',
    );
    fs.writeFileSync(file, edit('p'.repeat(4_000_000)) + '\n');
    expect((await readEditsFile(file)).edits[0]!.insert.length).toBe(4_000_000);
  });
});
