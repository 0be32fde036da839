import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createApp, type App } from '../app';
import { createLocalCaller } from '../api/router';
import { describeError } from '../cli/output';
import { buildZip, docxEntries } from '../detection/test-data/zip-builder';

const MB = 1024 * 1024;

/**
 * Bad input through the API the Write view uses: the editor's `authoring.applyEdits` and its .docx
 * import (`checks.extractFile`, then `documents.create` only once the text is out).
 */
describe('Write view bad input, at the API', () => {
  let app: App;
  let api: ReturnType<typeof createLocalCaller>;
  beforeAll(() => {
    app = createApp({ dataDir: tempDir(), startJobs: false });
    api = createLocalCaller({ app, transport: 'local' });
  });
  afterAll(() => app.dispose());

  it('a 5 MB paste is refused with a plain sentence; the document and its log stay as they were', async () => {
    const doc = await api.documents.create({ title: 'Paste' });
    await api.authoring.applyEdits({
      documentId: doc.id,
      edits: [{ author: 'Me', kind: 'human', operation: 'type', from: 0, to: 0, insert: 'Start.' }],
    });
    const before = await api.authoring.provenance({ documentId: doc.id });
    const paste = { author: 'Me', kind: 'human' as const, operation: 'paste' as const, from: 6, to: 6 };
    const refused = await api.authoring
      .applyEdits({ documentId: doc.id, edits: [{ ...paste, insert: 'p'.repeat(5 * MB) }] })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
    // What the CLI prints and the UI shows (the API's error formatter gives the same sentence).
    expect(describeError(refused)).toBe('The insert of item 1 is too long (at most 5,000,000 characters).');
    // Under the edit limit but over the document limit: the service's refusal, naming the edit.
    await expect(
      api.authoring.applyEdits({ documentId: doc.id, edits: [{ ...paste, insert: 'p'.repeat(4_999_995) }] }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^Edit 1: the text would be longer/),
    });
    expect(await api.authoring.provenance({ documentId: doc.id })).toEqual(before);
    expect(await api.authoring.verify({ documentId: doc.id })).toMatchObject({ ok: true, events: 1 });
  });

  it('a zip-bomb .docx is refused with the zip guard’s message, a damaged one as damaged; no document is made', async () => {
    const listed = (await api.documents.list({})).length;
    // 150 MB of zeros deflate to about 150 KB: small on disk, huge unpacked.
    const zeros = deflateRawSync(Buffer.alloc(150 * MB), { level: 9 });
    const bomb = buildZip([
      ...docxEntries(['Hello.']),
      { name: 'word/media/zero.bin', deflated: { data: zeros, size: 150 * MB } },
    ]);
    expect(bomb.length).toBeLessThan(MB);
    await expect(api.checks.extractFile({ name: 'bomb.docx', base64: bomb.toString('base64') })).rejects.toMatchObject({
      message: expect.stringMatching(/^bomb\.docx: .*unpacks to more than 100 MB/),
    });
    const damaged = Buffer.from('PK\u0003\u0004 this is not really a zip archive at all');
    await expect(
      api.checks.extractFile({ name: 'broken.docx', base64: damaged.toString('base64') }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'broken.docx: This .docx file is damaged or is not a Word document.',
    });
    expect((await api.documents.list({})).length).toBe(listed);
    // A sound one goes through.
    const ok = buildZip(docxEntries(['First paragraph.', 'Second one.']));
    expect((await api.checks.extractFile({ name: 'ok.docx', base64: ok.toString('base64') })).text).toContain(
      'Second one.',
    );
  });
});
