import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { DocumentService } from '../documents';
import { openStore, type Store } from '../store';
import { migrations } from '../store/migrations';
import { AuthoringService, sha256Hex } from './authoring-service';
import type { Edit, ProvenanceBundle } from './common/contract';
import { verifyChain } from './common/verify-chain';

let store: Store;
let docs: DocumentService;
let authoring: AuthoringService;

beforeEach(() => {
  store = openStore({ dataDir: tempDir() });
  docs = new DocumentService(store.db);
  authoring = new AuthoringService(store.db);
});
afterEach(() => store.close());

const type = (from: number, to: number, insert: string, extra: Partial<Edit> = {}): Edit => ({
  author: 'human:me',
  kind: 'human',
  operation: 'type',
  from,
  to,
  insert,
  ...extra,
});
const model = (from: number, to: number, insert: string, operation: Edit['operation'] = 'continue'): Edit => ({
  author: 'Writer bot',
  kind: 'model',
  operation,
  from,
  to,
  insert,
});
const spanList = (id: string) => {
  const p = authoring.provenance(id);
  return p.spans.map((s) => [p.text.slice(s.start, s.end), s.author, s.operation]);
};
const eventCount = (id: string) =>
  store.db.prepare('SELECT count(*) FROM contribution_events WHERE document_id = ?').pluck().get(id) as number;

describe('AuthoringService.apply and provenance', () => {
  it('attributes typing, external and internal paste, model text and edits inside it', () => {
    const doc = docs.create({ title: 'T' });
    const r = authoring.apply({
      documentId: doc.id,
      edits: [
        type(0, 0, 'The cat. '),
        model(9, 9, 'It sat on the mat.'),
        type(12, 12, 'really '), // inside the model sentence
        type(0, 0, '> ', { operation: 'paste' }),
        { ...type(36, 36, 'cat', { operation: 'paste' }), source: { from: 6, to: 9 } },
      ],
    });
    expect(r.applied).toBe(5);
    const p = authoring.provenance(doc.id);
    expect(p.text).toBe('> The cat. It really sat on the mat.cat');
    expect(spanList(doc.id)).toEqual([
      ['> ', 'Me', 'paste'],
      ['The cat. ', 'Me', 'type'],
      ['It ', 'Writer bot', 'continue'],
      ['really ', 'Me', 'edited-after-llm'],
      ['sat on the mat.', 'Writer bot', 'continue'],
      ['cat', 'Me', 'type'],
    ]);
    expect(p.shares['Writer bot']).toBeCloseTo(18 / p.text.length);
    expect(p.involvement).toBeCloseTo(18 / p.text.length);
    expect(p.role).toBe('extended');
    expect(p.events).toBe(5);
    expect(p.head).toBe(r.head);
    expect(docs.get(doc.id).body).toBe(p.text);
    expect(authoring.verify(doc.id)).toMatchObject({ ok: true, events: 5, head: r.head });
  });

  it('names the roles: human, generated, polished', () => {
    const a = docs.create({ title: 'h' });
    authoring.apply({ documentId: a.id, edits: [type(0, 0, 'All mine.')] });
    expect(authoring.provenance(a.id).role).toBe('human');
    const g = docs.create({ title: 'g' });
    authoring.apply({
      documentId: g.id,
      edits: [model(0, 0, 'A model wrote this all.', 'generate'), type(0, 0, 'I ')],
    });
    expect(authoring.provenance(g.id).role).toBe('generated');
    const p = docs.create({ title: 'p' });
    authoring.apply({
      documentId: p.id,
      edits: [type(0, 0, 'my draft text here, long enough'), model(3, 8, 'polished', 'polish')],
    });
    expect(authoring.provenance(p.id).role).toBe('polished');
  });

  it('applies nothing of a batch with a bad edit in the middle, and names it', () => {
    const doc = docs.create({ title: 'T', body: 'abc' });
    const before = { body: docs.get(doc.id).body, events: eventCount(doc.id), head: authoring.document(doc.id).head };
    const authors = store.db.prepare('SELECT count(*) FROM authors').pluck().get();
    const bad = [model(3, 3, 'def'), type(0, 0, 'x'), type(10, 12, 'out of range'), type(0, 0, 'y')];
    expect(() => authoring.apply({ documentId: doc.id, edits: bad })).toThrow(/Edit 3: the range 10–12 is outside/);
    expect(() => authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'ok'), type(0, 0, 'a\uD800')] })).toThrow(
      /Edit 2: .*lone UTF-16 surrogate/,
    );
    expect(() =>
      authoring.apply({
        documentId: doc.id,
        edits: [type(0, 0, 'ok'), { ...type(0, 0, 'zz'), source: { from: 0, to: 2 } }],
      }),
    ).toThrow(/Edit 2: the pasted text differs/);
    expect(() =>
      authoring.apply({ documentId: doc.id, edits: [{ ...type(0, 0, 'x'), author: 'Me', kind: 'model' }] }),
    ).toThrow(/Me is a human author/);
    expect({ body: docs.get(doc.id).body, events: eventCount(doc.id), head: authoring.document(doc.id).head }).toEqual(
      before,
    );
    expect(store.db.prepare('SELECT count(*) FROM authors').pluck().get()).toBe(authors);
  });

  it('refuses a stale expectedHead and accepts the current one', () => {
    const doc = docs.create({ title: 'T' });
    const first = authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'a')] });
    authoring.apply({ documentId: doc.id, edits: [type(1, 1, 'b')], expectedHead: first.head });
    expect(() => authoring.apply({ documentId: doc.id, edits: [type(2, 2, 'c')], expectedHead: first.head })).toThrow(
      /changed elsewhere/,
    );
    expect(docs.get(doc.id).body).toBe('ab');
  });

  it('stores the editor JSON beside the text and advances revisions like autosave', () => {
    const doc = docs.create({ title: 'T' });
    const r = authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'Hi')], rich: { type: 'doc', content: [] } });
    authoring.apply({ documentId: doc.id, edits: [type(2, 2, '!')] });
    const loaded = authoring.document(doc.id);
    expect(loaded).toMatchObject({ text: 'Hi!', rich: { type: 'doc', content: [] }, revision: r.revision + 1 });
    const revs = docs.revisions(doc.id);
    expect(revs[0]).toMatchObject({ number: 2, length: 3 }); // the two quick saves share revision 2
    // The snapshot path still works after edits and stays consistent with the log.
    docs.updateBody({ id: doc.id, body: 'Hi! there', baseRevision: loaded.revision });
    expect(authoring.provenance(doc.id).text).toBe('Hi! there');
    expect(authoring.verify(doc.id).ok).toBe(true);
  });

  it('applies 10,000 edits in one batch in well under a few seconds', () => {
    const doc = docs.create({ title: 'T' });
    const edits: Edit[] = [];
    let length = 0;
    for (let i = 0; i < 10_000; i++) {
      // Mostly typing at the end, every seventh edit a backspace in the middle.
      if (i % 7 === 6) {
        edits.push(type(length >> 1, (length >> 1) + 1, ''));
        length--;
      } else {
        edits.push(type(length, length, 'w'));
        length++;
      }
    }
    const t0 = performance.now();
    authoring.apply({ documentId: doc.id, edits });
    const ms = performance.now() - t0;
    expect(authoring.verify(doc.id)).toMatchObject({ ok: true, events: 10_000 });
    expect(ms).toBeLessThan(3000);
  });
});

describe('undo and redo across authors', () => {
  it('give removed model text back to the model, the same from the database and from a bundle', () => {
    const doc = docs.create({ title: 'U' });
    authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'Hi. '), model(4, 4, 'Model text.', 'generate')] });
    // The writer deletes part of the model sentence, undoes it; undoes the suggestion, redoes it.
    authoring.apply({
      documentId: doc.id,
      edits: [
        type(6, 13, '', { operation: 'delete' }),
        type(6, 6, 'del tex', { operation: 'undo' }),
        type(4, 15, '', { operation: 'undo' }),
        type(4, 4, 'Model text.', { operation: 'redo' }),
        type(4, 4, 'Model', { operation: 'undo' }), // nothing was removed at 4 that reads "Model": the writer's
      ],
    });
    const expected = [
      ['Hi. ', 'Me', 'type'],
      ['Model', 'Me', 'undo'],
      ['Model text.', 'Writer bot', 'generate'],
    ];
    expect(spanList(doc.id)).toEqual(expected);
    const bundle = authoring.bundle(doc.id);
    expect(authoring.verifyBundle(bundle)).toMatchObject({ ok: true, textMatches: true });
    const fromBundle = verifyChain(sha256Hex, bundle.document.id, bundle.events).table;
    const names = new Map(bundle.authors.map((a) => [a.id, a.name]));
    expect(
      fromBundle
        .spans()
        .map((sp) => [bundle.text.slice(sp.start, sp.end), names.get(sp.attr.authorId), sp.attr.operation]),
    ).toEqual(expected);
  });
});

describe('bad input leaves the document and its log as they were', () => {
  const snapshot = (id: string) => ({
    body: docs.get(id).body,
    events: eventCount(id),
    head: authoring.verify(id).head,
  });

  it('takes a paste up to the document limit (5,000,000 characters) and refuses one past it, clearly', () => {
    const doc = docs.create({ title: 'Big' });
    authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'Intro. ')] });
    const big = 'All work and no play. '.repeat(230_000).slice(0, 4_900_000);
    const t0 = performance.now();
    authoring.apply({ documentId: doc.id, edits: [type(7, 7, big, { operation: 'paste' }), type(7, 7, 'x')] });
    const p = authoring.provenance(doc.id);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(p.text.length).toBe(7 + 1 + 4_900_000);
    expect(p.spans.map((sp) => [sp.start, sp.end, sp.operation])).toEqual([
      [0, 8, 'type'],
      [8, 4_900_008, 'paste'],
    ]);
    expect(authoring.verify(doc.id).ok).toBe(true);
    // A 5 MB paste would take the text past the limit: refused, naming the edit; nothing written.
    const before = snapshot(doc.id);
    const fiveMb = 'y'.repeat(5 * 1024 * 1024);
    expect(() =>
      authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'ok '), type(0, 0, fiveMb, { operation: 'paste' })] }),
    ).toThrow(/Edit 2: the text would be longer than 5,000,000 characters/);
    expect(snapshot(doc.id)).toEqual(before);
  });

  it('refuses a lone surrogate in an insert, naming the edit', () => {
    const doc = docs.create({ title: 'S' });
    authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'ab😀')] });
    const before = snapshot(doc.id);
    for (const insert of ['\uD83D', 'x\uDE00', '\uDE00\uD83D']) {
      expect(() => authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'fine'), type(2, 2, insert)] })).toThrow(
        /Edit 2: the inserted text has a lone UTF-16 surrogate/,
      );
    }
    // Offsets between the halves of the emoji, too.
    expect(() => authoring.apply({ documentId: doc.id, edits: [type(3, 3, 'x')] })).toThrow(/surrogate pair/);
    expect(snapshot(doc.id)).toEqual(before);
  });
});

describe('tamper evidence', () => {
  function written(): { id: string; bundle: ProvenanceBundle } {
    const doc = docs.create({ title: 'Essay' });
    authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'One. '), model(5, 5, 'Two. '), type(10, 10, 'Three.')] });
    return { id: doc.id, bundle: authoring.bundle(doc.id) };
  }

  it('verify names the first changed, removed or reordered event', () => {
    const { id } = written();
    const seqRow = (seq: number) =>
      store.db.prepare('SELECT id FROM contribution_events WHERE document_id = ? AND seq = ?').pluck().get(id, seq);
    store.db.prepare("UPDATE contribution_events SET inserted = 'Tw0. ' WHERE id = ?").run(seqRow(2));
    expect(authoring.verify(id)).toMatchObject({
      ok: false,
      firstBad: { seq: 2, reason: expect.stringMatching(/changed/) },
    });
    store.db.prepare("UPDATE contribution_events SET inserted = 'Two. ' WHERE id = ?").run(seqRow(2));
    expect(authoring.verify(id).ok).toBe(true);
    store.db.prepare('UPDATE contribution_events SET created_at = created_at + 1 WHERE id = ?').run(seqRow(3));
    expect(authoring.verify(id).firstBad?.seq).toBe(3);
    store.db.prepare('UPDATE contribution_events SET created_at = created_at - 1 WHERE id = ?').run(seqRow(3));
    store.db.prepare('DELETE FROM contribution_events WHERE id = ?').run(seqRow(2));
    expect(authoring.verify(id)).toMatchObject({ ok: false, firstBad: { seq: 2 } });
  });

  it('verify fails when the stored text no longer matches the log', () => {
    const { id } = written();
    store.db.prepare("UPDATE documents SET body = 'One. Two. Thr3e.' WHERE id = ?").run(id);
    expect(authoring.verify(id)).toMatchObject({ ok: false, firstBad: { seq: 3 } });
  });

  it('a bundle verifies on its own; editing, reordering, truncating or one changed byte fails', () => {
    const { bundle } = written();
    expect(authoring.verifyBundle(bundle)).toMatchObject({ ok: true, textMatches: true, events: 3, head: bundle.head });
    const json = JSON.stringify(bundle);
    const mutate = (f: (b: ProvenanceBundle) => void) => {
      const b = JSON.parse(json) as ProvenanceBundle;
      f(b);
      return authoring.verifyBundle(b);
    };
    expect(mutate((b) => (b.events[1]!.insert = 'Tw0. '))).toMatchObject({ ok: false, firstBad: { seq: 2 } });
    expect(mutate((b) => b.events.reverse())).toMatchObject({ ok: false, firstBad: { seq: 1 } });
    expect(mutate((b) => b.events.pop())).toMatchObject({ ok: false, firstBad: { seq: 3 } });
    expect(mutate((b) => (b.text = b.text.replace('One', 'Une')))).toMatchObject({ ok: false, textMatches: false });
    expect(mutate((b) => (b.authors[0]!.name = 'Mf'))).toMatchObject({ ok: false, firstBad: { reason: /digest/ } });
    expect(mutate((b) => (b.document.title = 'Essay!'))).toMatchObject({ ok: false });
    // One byte anywhere in the file's content: flip each character of the text and of an event.
    for (let i = 0; i < json.length; i += 7) {
      const c = json[i]!;
      if (!/[A-Za-z0-9]/.test(c)) continue;
      const flipped = json.slice(0, i) + (c === 'a' ? 'b' : c === '0' ? '1' : 'a') + json.slice(i + 1);
      if (flipped === json) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(flipped);
      } catch {
        continue;
      }
      expect(authoring.verifyBundle(parsed).ok, `byte ${i}`).toBe(false);
    }
  });
});

describe('documents written before the edit log', () => {
  it('seals snapshot events lazily, in order, and keeps provenance working', () => {
    const doc = docs.create({ title: 'Old', body: 'Hello world', operation: 'paste' });
    docs.updateBody({ id: doc.id, body: 'Hello brave world', baseRevision: 1 });
    expect(store.db.prepare('SELECT count(*) FROM contribution_events WHERE hash IS NULL').pluck().get()).toBe(2);
    expect(spanList(doc.id)).toEqual([
      ['Hello ', 'Me', 'paste'],
      ['brave ', 'Me', 'type'],
      ['world', 'Me', 'paste'],
    ]);
    expect(store.db.prepare('SELECT count(*) FROM contribution_events WHERE hash IS NULL').pluck().get()).toBe(0);
    expect(authoring.verify(doc.id)).toMatchObject({ ok: true, events: 2 });
  });

  it('opens a database made before migration 6 and verifies its documents', () => {
    const dir = tempDir();
    const old = new Database(path.join(dir, 'palimpsest.db'));
    for (const m of migrations.filter((m) => m.version <= 5)) old.exec(m.up);
    old.pragma('user_version = 5');
    old
      .prepare(
        "INSERT INTO documents (id, title, body, word_count, created_at, updated_at, revision) VALUES ('doc_old', 'Old', 'aXc', 1, 1, 1, 2)",
      )
      .run();
    const ev = old.prepare(
      "INSERT INTO contribution_events (document_id, revision, author_id, operation, start, end, inserted, deleted, created_at) VALUES ('doc_old', 1, 'human:me', ?, ?, ?, ?, ?, 1)",
    );
    ev.run('import', 0, 3, 'abc', '');
    ev.run('type', 1, 1, '', 'b');
    ev.run('type', 1, 2, 'X', '');
    old.close();
    const reopened = openStore({ dataDir: dir });
    try {
      const svc = new AuthoringService(reopened.db);
      expect(svc.verify('doc_old')).toMatchObject({ ok: true, events: 3 });
      expect(svc.provenance('doc_old').spans.map((s) => s.operation)).toEqual(['import', 'type', 'import']);
      svc.apply({ documentId: 'doc_old', edits: [type(2, 2, '!')] });
      expect(svc.verify('doc_old')).toMatchObject({ ok: true, events: 4 });
    } finally {
      reopened.close();
    }
  });
});

describe('ground truth and reports', () => {
  it('gives passages with their model share and renders HTML and PDF reports with the head', async () => {
    const doc = docs.create({ title: 'Report me' });
    const human = 'I wrote this first paragraph myself, word by word, on a quiet morning. '.repeat(4).trim();
    const bot = 'Then the model continued with a paragraph of its own about the long afternoon. '.repeat(4).trim();
    const r = authoring.apply({
      documentId: doc.id,
      edits: [type(0, 0, human + '\n'), model(human.length + 1, human.length + 1, bot)],
    });
    const gt = authoring.groundTruth(doc.id);
    expect(gt.role).toBe('extended');
    expect(gt.passages.length).toBeGreaterThan(0);
    expect(gt.passages.map((p) => p.llmShare)).toEqual([0, 1]);
    const html = await authoring.report(doc.id, 'html');
    const page = Buffer.from(html.base64, 'base64').toString('utf8');
    expect(html.mime).toBe('text/html');
    expect(page).toContain(r.head);
    expect(page).toContain('<svg');
    expect(page).toContain('Writer bot');
    const pdf = await authoring.report(doc.id, 'pdf');
    const bytes = Buffer.from(pdf.base64, 'base64');
    expect(pdf.fileName).toMatch(/\.pdf$/);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.includes(r.head)).toBe(true);
  });

  it('colours the authors of a report differently even when their stored colours are the same', async () => {
    const doc = docs.create({ title: 'Two colours' });
    authoring.apply({ documentId: doc.id, edits: [type(0, 0, 'Mine. '), model(6, 6, 'Theirs.')] });
    store.db.prepare("UPDATE authors SET color = '#2d3436'").run();
    const html = await authoring.report(doc.id, 'html');
    const page = Buffer.from(html.base64, 'base64').toString('utf8');
    // The colour under each author's text (border-bottom of its spans).
    const under = (who: string) =>
      new Set(
        [...page.matchAll(/solid (#[0-9a-f]{6})" title="([^"·]+) ·/gi)]
          .filter((m) => m[2]!.trim() === who)
          .map((m) => m[1]),
      );
    expect([...under('Me')]).toEqual(['#2d3436']);
    expect(under('Writer bot').size).toBe(1);
    expect(under('Writer bot').has('#2d3436')).toBe(false);
  });
});
