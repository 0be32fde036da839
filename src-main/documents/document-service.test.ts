import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { AppError } from '../core/app-error';
import { openStore, type Store } from '../store';
import { DocumentService } from './document-service';
import { diffSingleRegion } from './text-diff';

describe('DocumentService', () => {
  let store: Store;
  let docs: DocumentService;
  beforeEach(() => {
    store = openStore({ dataDir: tempDir() });
    docs = new DocumentService(store.db);
  });
  afterEach(() => store.close());

  it('creates, renames, edits and lists documents with word counts', () => {
    const d = docs.create({ title: '  My   essay ', body: 'one two' });
    expect(d.title).toBe('My essay');
    expect(d.revision).toBe(1);
    docs.rename(d.id, 'Renamed');
    const e = docs.updateBody({ id: d.id, body: 'one two three', baseRevision: 1 });
    expect(e.revision).toBe(2);
    const [row] = docs.list();
    expect(row).toMatchObject({ id: d.id, title: 'Renamed', wordCount: 3 });
  });

  it('searches titles and text, treating % and _ literally', () => {
    docs.create({ title: 'Alpha', body: 'the quick brown fox' });
    docs.create({ title: 'Beta', body: '100% sure' });
    expect(docs.list({ query: 'brown' }).map((d) => d.title)).toEqual(['Alpha']);
    expect(docs.list({ query: 'beta' }).map((d) => d.title)).toEqual(['Beta']);
    expect(docs.list({ query: '%' }).map((d) => d.title)).toEqual(['Beta']);
    expect(docs.list({ query: 'zzz' })).toEqual([]);
  });

  it('logs a contribution event per save and replays authorship', () => {
    const d = docs.create({ title: 't', body: 'Hello' });
    docs.updateBody({ id: d.id, body: 'Hello world', baseRevision: 1, operation: 'type' });
    docs.updateBody({ id: d.id, body: 'Hello brave world', baseRevision: 2, operation: 'paste', authorId: 'human:me' });
    const events = store.db
      .prepare(
        'SELECT operation, start, end, inserted, deleted FROM contribution_events WHERE document_id = ? ORDER BY id',
      )
      .all(d.id);
    expect(events).toEqual([
      { operation: 'import', start: 0, end: 5, inserted: 'Hello', deleted: '' },
      { operation: 'type', start: 5, end: 11, inserted: ' world', deleted: '' },
      { operation: 'paste', start: 6, end: 12, inserted: 'brave ', deleted: '' },
    ]);
    expect(docs.authorship(d.id)).toEqual([{ authorId: 'human:me', chars: 'Hello brave world'.length }]);
  });

  it('coalesces rapid saves into one revision but keeps the first', () => {
    const d = docs.create({ title: 't', body: '' });
    docs.updateBody({ id: d.id, body: 'a', baseRevision: 1 });
    docs.updateBody({ id: d.id, body: 'ab', baseRevision: 2 });
    docs.updateBody({ id: d.id, body: 'abc', baseRevision: 3 });
    const revs = docs.revisions(d.id);
    expect(revs.map((r) => r.number)).toEqual([2, 1]);
    expect(store.db.prepare('SELECT body FROM revisions WHERE document_id = ? AND number = 2').pluck().get(d.id)).toBe(
      'abc',
    );
  });

  it('rejects a stale base revision without changing anything', () => {
    const d = docs.create({ title: 't', body: 'v1' });
    docs.updateBody({ id: d.id, body: 'v2', baseRevision: 1 });
    expect(() => docs.updateBody({ id: d.id, body: 'stale', baseRevision: 1 })).toThrow(/changed elsewhere/);
    expect(docs.get(d.id).body).toBe('v2');
  });

  it('deletes to the trash and restores (undo)', () => {
    const d = docs.create({ title: 'gone', body: 'x' });
    docs.delete(d.id);
    expect(docs.list()).toEqual([]);
    expect(docs.list({ trash: true }).map((r) => r.id)).toEqual([d.id]);
    expect(() => docs.updateBody({ id: d.id, body: 'y', baseRevision: 1 })).toThrow(/trash/);
    docs.restore(d.id);
    expect(docs.list().map((r) => r.id)).toEqual([d.id]);
  });

  it('reports unknown ids as not_found', () => {
    for (const fn of [
      () => docs.get('nope'),
      () => docs.rename('nope', 'x'),
      () => docs.delete('nope'),
      () => docs.restore('nope'),
    ]) {
      try {
        fn();
        expect.unreachable();
      } catch (e) {
        expect(AppError.isInstance(e) && e.code).toBe('not_found');
      }
    }
  });
});

describe('diffSingleRegion', () => {
  it.each([
    ['abc', 'abc', null],
    ['', 'x', { start: 0, deleted: '', inserted: 'x' }],
    ['hello world', 'hello brave world', { start: 6, deleted: '', inserted: 'brave ' }],
    ['aaaa', 'aa', { start: 2, deleted: 'aa', inserted: '' }],
    ['the cat sat', 'the dog sat', { start: 4, deleted: 'cat', inserted: 'dog' }],
  ])('%j → %j', (a, b, expected) => {
    expect(diffSingleRegion(a, b)).toEqual(expected);
  });
});

describe('DocumentService revisions', () => {
  it('restores an earlier revision as a new, logged change', () => {
    const store = openStore({ dataDir: tempDir() });
    const docs = new DocumentService(store.db);
    const d = docs.create({ title: 't', body: 'first draft' });
    const later = docs.updateBody({ id: d.id, body: 'second draft', baseRevision: 1 });
    expect(docs.revision(d.id, 1).body).toBe('first draft');
    const restored = docs.restoreRevision(d.id, 1, later.revision);
    expect(restored.body).toBe('first draft');
    const ops = store.db
      .prepare('SELECT operation FROM contribution_events WHERE document_id = ? ORDER BY id')
      .pluck()
      .all(d.id);
    expect(ops).toEqual(['import', 'type', 'restore']);
    expect(() => docs.revision(d.id, 99)).toThrow(/does not exist/);
    store.close();
  });

  it('keeps the newer text when a revision is restored within the coalescing window', () => {
    const store = openStore({ dataDir: tempDir() });
    const docs = new DocumentService(store.db);
    const d = docs.create({ title: 't', body: 'first draft' });
    docs.updateBody({ id: d.id, body: 'second draft', baseRevision: 1 });
    const latest = docs.updateBody({ id: d.id, body: 'second draft, polished', baseRevision: 2 });
    expect(docs.revisions(d.id).map((r) => r.number)).toEqual([2, 1]); // the two edits coalesced
    const restored = docs.restoreRevision(d.id, 1, latest.revision); // seconds later, same author
    expect(restored.body).toBe('first draft');
    const bodies = () => docs.revisions(d.id).map((r) => docs.revision(d.id, r.number).body);
    expect(bodies()).toEqual(['first draft', 'second draft, polished', 'first draft']);
    // An edit right after the restore starts its own revision: the restored one stays as it was.
    docs.updateBody({ id: d.id, body: 'first draft!', baseRevision: restored.revision });
    expect(bodies()).toEqual(['first draft!', 'first draft', 'second draft, polished', 'first draft']);
    store.close();
  });
});

describe('DocumentService text rules', () => {
  it('refuses binary-looking text from any caller and normalises line ends on create', () => {
    const store = openStore({ dataDir: tempDir() });
    const docs = new DocumentService(store.db);
    expect(() => docs.create({ body: 'PK\u0003\u0004\u0000\u0000 zip' })).toThrow(/binary/);
    expect(() => docs.create({ body: 'a\u0001b\u0002c\u0003d\u0004' })).toThrow(/binary/);
    const d = docs.create({ body: 'line one\r\nline two\rthree\tand a tab\f' });
    expect(d.body).toBe('line one\nline two\nthree\tand a tab\f');
    expect(() => docs.updateBody({ id: d.id, body: 'x\u0000y', baseRevision: 1 })).toThrow(/binary/);
    expect(docs.list()).toHaveLength(1);
    store.close();
  });
});
