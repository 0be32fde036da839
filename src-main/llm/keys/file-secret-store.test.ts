import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore, openFileSecretStore } from './file-secret-store';
import { maskSecret, redactSecrets } from './secret-store';

const posix = process.platform !== 'win32';

describe('FileSecretStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-keys-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores keys in a file created with mode 0600', async () => {
    const store = openFileSecretStore(dir);
    await store.set('key_a', 'sk-aaaa1111');
    await Promise.all([store.set('key_b', 'sk-bbbb2222'), store.set('key_c', 'sk-cccc3333')]);
    expect(await store.get('key_a')).toBe('sk-aaaa1111');
    expect(await store.list()).toEqual(['key_a', 'key_b', 'key_c']);
    if (posix) expect(fs.statSync(store.filePath).mode & 0o777).toBe(0o600);
    expect(await store.delete('key_b')).toBe(true);
    expect(await store.delete('key_b')).toBe(false);
    expect(await openFileSecretStore(dir).get('key_c')).toBe('sk-cccc3333');
    expect(fs.readdirSync(dir)).toEqual(['secrets.json']);
  });

  it.skipIf(!posix)('repairs a file readable by others on open', async () => {
    const file = path.join(dir, 'secrets.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, cipher: 'none', secrets: { k: 'v' } }), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const store = new FileSecretStore({ filePath: file });
    expect(store.repairedMode).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('k')).toBe('v');
  });

  it('encrypts at rest with an injected cipher and refuses a mismatched one', async () => {
    const cipher = {
      name: 'test-xor',
      encrypt: (s: string) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x5a)),
      decrypt: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString(),
    };
    const store = openFileSecretStore(dir, cipher);
    await store.set('k', 'sk-plaintext-never-on-disk');
    expect(fs.readFileSync(store.filePath, 'utf8')).not.toContain('sk-plaintext');
    expect(await store.get('k')).toBe('sk-plaintext-never-on-disk');
    await expect(openFileSecretStore(dir).get('k')).rejects.toThrow(/cipher/);
  });

  it('masks and redacts secrets', () => {
    expect(maskSecret('sk-abcdefghijklWXYZ')).toBe('sk-…WXYZ');
    const details = {
      url: 'http://h/v1?api_key=abc123',
      header: 'Bearer sk-zzz',
      apiKey: 'sk-zzz',
      nested: ['has sk-zzz inside'],
    };
    expect(redactSecrets(details, ['sk-zzz'])).toEqual({
      url: 'http://h/v1?api_key=[redacted]',
      header: 'Bearer [redacted]',
      apiKey: '[redacted]',
      nested: ['has [redacted] inside'],
    });
  });
});
