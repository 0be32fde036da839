import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import { openStore, type Store } from '../../store';
import { openFileSecretStore } from '../keys/file-secret-store';
import { startFakeOpenAiServer, writeSseStream } from '../openai/fake-openai-server';
import { EndpointRegistry } from './endpoint-registry';
import { ProviderResolver } from './provider-resolver';

const BASE = 'http://127.0.0.1:8080/v1';

describe('EndpointRegistry', () => {
  let dataDir: string;
  let store: Store;
  let endpoints: EndpointRegistry;
  beforeEach(() => {
    dataDir = tempDir('palimpsest-endpoints-');
    store = openStore({ dataDir });
    endpoints = new EndpointRegistry(store.db, openFileSecretStore(dataDir));
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps endpoint keys in the SecretStore, never in SQLite', async () => {
    const ep = await endpoints.add({ name: 'lab', baseUrl: BASE, apiKey: 'sk-very-secret-1234' });
    expect(ep.keyRef).toBe(`endpoint:${ep.id}`);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbBytes = fs.readFileSync(store.dbPath).toString('latin1');
    expect(dbBytes).not.toContain('sk-very-secret-1234');
    expect(await endpoints.key(ep)).toBe('sk-very-secret-1234');
    await endpoints.remove(ep.id);
    expect(await endpoints.secrets.list()).toEqual([]);
  });

  it('renames, re-points and re-pools an endpoint, refusing bad URLs and taken names', async () => {
    const a = await endpoints.add({ name: 'alpha', baseUrl: BASE });
    await endpoints.add({ name: 'beta', baseUrl: BASE });
    const moved = endpoints.update(a.id, { name: ' gamma ', baseUrl: 'http://127.0.0.1:9/v1/', pool: 'lab' });
    expect(moved).toMatchObject({ name: 'gamma', baseUrl: 'http://127.0.0.1:9/v1', pool: 'lab' });
    expect(endpoints.update('gamma', { pool: '' }).pool).toBeNull();
    expect(() => endpoints.update(a.id, { name: 'beta' })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => endpoints.update(a.id, { baseUrl: 'ftp://x' })).toThrow(
      expect.objectContaining({ code: 'bad_request' }),
    );
    expect(() => endpoints.update(a.id, { baseUrl: 'http://u:p@h/v1' })).toThrow(/API key field/);
    expect(endpoints.get(a.id)).toMatchObject({ name: 'gamma', baseUrl: 'http://127.0.0.1:9/v1' });
    await endpoints.remove('beta');
    await endpoints.remove('gamma');
  });

  // Defect 6: `…/v1?api_key=sk-…` was accepted, broke every request (paths were appended after the
  // query) and stored the key in SQLite, where `models list` printed it.
  it.each([
    ['a query string', 'http://127.0.0.1:8080/v1?api_key=sk-leaked-4242'],
    ['an empty query string', 'http://127.0.0.1:8080/v1?'],
    ['a fragment', 'http://127.0.0.1:8080/v1#sk-leaked-4242'],
    ['a user name', 'http://sk-leaked-4242@127.0.0.1:8080/v1'],
    ['a user and password', 'http://user:sk-leaked-4242@127.0.0.1:8080/v1'],
  ])('refuses a base URL with %s, on add and on update, and stores nothing', async (_what, url) => {
    await expect(endpoints.add({ name: 'bad', baseUrl: url })).rejects.toMatchObject({
      code: 'bad_request',
      userMessage: expect.stringMatching(/API key field/),
    });
    const ok = await endpoints.add({ name: 'ok', baseUrl: BASE });
    expect(() => endpoints.update(ok.id, { baseUrl: url })).toThrow(
      expect.objectContaining({ code: 'bad_request', userMessage: expect.stringMatching(/API key field/) }),
    );
    expect(endpoints.list().map((e) => e.baseUrl)).toEqual([BASE]);
    // The refusal does not echo the secret back either (it ends up in logs and toasts).
    const err = await endpoints.add({ name: 'bad', baseUrl: url }).catch((e: unknown) => e);
    expect(String((err as { userMessage?: string }).userMessage)).not.toContain('sk-leaked-4242');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.readFileSync(store.dbPath).toString('latin1')).not.toContain('sk-leaked-4242');
  });

  // Defect 18: `models generate` builds its pool per call, and every call went to the first member.
  it('spreads one-shot pool calls over the members through the stored rotation', async () => {
    const servers = await Promise.all(
      ['a', 'b'].map((name) => startFakeOpenAiServer((_req, res) => writeSseStream(res, [name]))),
    );
    try {
      for (const [i, srv] of servers.entries())
        await endpoints.add({ name: `m${i}`, baseUrl: srv.baseUrl, pool: 'lab' });
      const served: string[] = [];
      for (let call = 0; call < 4; call++) {
        const resolver = new ProviderResolver({ endpoints: new EndpointRegistry(store.db, endpoints.secrets) });
        const pool = await resolver.resolve('pool:lab');
        for await (const p of pool.generate({ kind: 'completion', model: 'm', prompt: 'x' }))
          if (p.type === 'text') served.push(p.text);
        await resolver.dispose();
      }
      expect(servers.map((s) => s.requests.length)).toEqual([2, 2]);
      expect(new Set(served.slice(0, 2))).toEqual(new Set(['a', 'b']));
      store.db.prepare(`UPDATE settings SET value = 'not json' WHERE key = 'llm.pool.lab'`).run();
      expect(endpoints.poolMemory('lab').read()).toBeUndefined();
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});
