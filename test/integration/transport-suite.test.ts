import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../helpers/transports/fake-electron';
import { API_VERSION } from '../../src-main/api';
import { cliTransport } from '../helpers/transports/cli';
import { httpWsTransport } from '../helpers/transports/http-ws';
import { ipcTransport } from '../helpers/transports/ipc';
import { localTransport } from '../helpers/transports/local';
import type { CallResult, Transport } from '../helpers/transports/transport';
import { tempDir } from '../helpers/temp-dir';

/**
 * The one transport suite (after tRPC's packages/tests/server/adapters): the same cases run through
 * the local caller, Electron IPC, HTTP + WebSocket and the CLI, and must agree on data, error codes
 * and the user's message. A case names the procedures it needs and whether it needs a push channel;
 * a transport without them skips it (the CLI has no push).
 */
interface Case {
  name: string;
  needs: string[];
  push?: boolean;
  run(t: Transport): Promise<void>;
}

interface Doc {
  id: string;
  title: string;
  body: string;
  revision: number;
}
interface Job {
  id: string;
  kind: string;
  status: string;
  done: number;
}

const ok = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(`expected success, got ${r.code}: ${r.message}`);
  return r.data as T;
};
const refused = (t: Transport, r: CallResult, code: Parameters<Transport['failureCode']>[0], message: string) =>
  expect(r).toEqual({ ok: false, code: t.failureCode(code), message });
const until = async (what: string, test: () => Promise<boolean> | boolean, ms = 10_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    if (await test()) return;
  }
  throw new Error(`timed out waiting for ${what}`);
};
const create = async (t: Transport, title: string, body: string) =>
  ok<Doc>(await t.call('documents.create', { title, body }));
const titles = async (t: Transport, input?: object) =>
  ok<Doc[]>(await t.call('documents.list', input)).map((d) => d.title);

const cases: Case[] = [
  {
    name: 'reports system info',
    needs: ['system.info'],
    async run(t) {
      expect(ok(await t.call('system.info'))).toMatchObject({ apiVersion: API_VERSION, transport: t.contextName });
    },
  },
  {
    name: 'creates a document and shows it',
    needs: ['documents.create', 'documents.get'],
    async run(t) {
      const doc = await create(t, 'Field notes', 'The river was high.');
      expect(doc).toMatchObject({ id: expect.stringMatching(/^doc_/), title: 'Field notes' });
      expect(ok<Doc>(await t.call('documents.get', { id: doc.id }))).toMatchObject({
        id: doc.id,
        title: 'Field notes',
        body: 'The river was high.',
      });
    },
  },
  {
    name: 'lists and searches documents',
    needs: ['documents.create', 'documents.list'],
    async run(t) {
      await create(t, 'Zebra crossing', 'Stripes on the road.');
      await create(t, 'Quiet harbour', 'Boats at rest.');
      expect(await titles(t)).toEqual(expect.arrayContaining(['Zebra crossing', 'Quiet harbour']));
      expect(await titles(t, { query: 'Stripes' })).toEqual(['Zebra crossing']);
    },
  },
  {
    name: 'renames and updates a document',
    needs: ['documents.create', 'documents.rename', 'documents.update', 'documents.get'],
    async run(t) {
      const doc = await create(t, 'Draft', 'First words.');
      ok(await t.call('documents.rename', { id: doc.id, title: 'Final' }));
      const updated = ok<Doc>(
        await t.call('documents.update', { id: doc.id, body: 'Better words.', baseRevision: doc.revision }),
      );
      expect(updated.revision).toBeGreaterThanOrEqual(doc.revision);
      expect(ok<Doc>(await t.call('documents.get', { id: doc.id }))).toMatchObject({
        title: 'Final',
        body: 'Better words.',
      });
    },
  },
  {
    name: 'deletes a document to the trash and restores it',
    needs: ['documents.create', 'documents.delete', 'documents.restore', 'documents.list'],
    async run(t) {
      const doc = await create(t, 'Short-lived', 'Soon gone.');
      ok(await t.call('documents.delete', { id: doc.id }));
      expect(await titles(t)).not.toContain('Short-lived');
      expect(await titles(t, { trash: true })).toContain('Short-lived');
      ok(await t.call('documents.restore', { id: doc.id }));
      expect(await titles(t)).toContain('Short-lived');
    },
  },
  {
    name: 'refuses an unknown id with NOT_FOUND and the same message',
    needs: ['documents.get', 'documents.delete'],
    async run(t) {
      const message = 'Document doc_missing does not exist.';
      refused(t, await t.call('documents.get', { id: 'doc_missing' }), 'NOT_FOUND', message);
      refused(t, await t.call('documents.delete', { id: 'doc_missing' }), 'NOT_FOUND', message);
    },
  },
  {
    name: 'refuses invalid input with BAD_REQUEST and one plain sentence',
    needs: ['documents.get', 'documents.list', 'documents.create'],
    async run(t) {
      const tooLong = 'The id is too long (at most 100 characters).';
      refused(t, await t.call('documents.get', { id: 'x'.repeat(101) }), 'BAD_REQUEST', tooLong);
      refused(
        t,
        await t.call('documents.list', { query: 'q'.repeat(501) }),
        'BAD_REQUEST',
        'The search text is too long (at most 500 characters).',
      );
      refused(
        t,
        await t.call('documents.create', { title: 't'.repeat(501), body: 'x' }),
        'BAD_REQUEST',
        'The title is too long (at most 500 characters).',
      );
    },
  },
  {
    name: 'imports files as a job that runs to the end',
    needs: ['documents.importFiles', 'jobs.list', 'documents.list'],
    async run(t) {
      const dir = tempDir();
      for (const name of ['alpha', 'beta', 'gamma']) fs.writeFileSync(path.join(dir, `${name}.txt`), `${name} text`);
      const job = ok<Job>(await t.call('documents.importFiles', { paths: [dir] }));
      expect(job).toMatchObject({ id: expect.any(String), kind: 'documents.import' });
      const status = async () => ok<Job[]>(await t.call('jobs.list')).find((j) => j.id === job.id)?.status;
      await until('the import job to finish', async () => !['queued', 'running'].includes((await status()) ?? ''));
      expect(await status()).toBe('succeeded');
      expect(await titles(t)).toEqual(expect.arrayContaining(['alpha', 'beta', 'gamma']));
    },
  },
  {
    name: 'pushes job progress and document changes to subscribers',
    needs: ['documents.importFiles'],
    push: true,
    async run(t) {
      const jobs: Job[] = [];
      const docs: Array<{ kind: string; id: string }> = [];
      const stopJobs = await t.subscribe!('jobs.onDidChange', (v) => jobs.push(v as Job));
      const stopDocs = await t.subscribe!('documents.onDidChange', (v) => docs.push(v as { kind: string; id: string }));
      try {
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, 'pushed.txt'), 'Pushed over the wire.');
        const job = ok<Job>(await t.call('documents.importFiles', { paths: [dir] }));
        await until('the job to be reported finished', () =>
          jobs.some((j) => j.id === job.id && j.status === 'succeeded'),
        );
        await until('the created document to be reported', () => docs.some((d) => d.kind === 'created'));
      } finally {
        stopJobs();
        stopDocs();
      }
    },
  },
];

const transports: Array<[string, () => Promise<Transport>]> = [
  ['local caller', localTransport],
  ['Electron IPC', ipcTransport],
  ['HTTP + WebSocket', httpWsTransport],
  ['CLI', cliTransport],
];

describe.each(transports)('the API through %s', (_name, open) => {
  let t: Transport;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t.close());

  for (const c of cases) {
    it(c.name, async (ctx) => {
      const missing = c.needs.filter((p) => !t.supports(p));
      if (missing.length > 0 || (c.push && !t.subscribe)) {
        ctx.skip(`${t.name} cannot carry ${missing.length ? missing.join(', ') : 'subscriptions'}`);
      }
      await c.run(t);
    });
  }
});
