import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError } from './download-error';
import { downloadFile } from './download-file';
import type { DownloadProgress } from './progress-meter';
import { sha256Hex, startTestFileServer, type TestFileServer } from './test-file-server';

const SIZE = 3 * 1024 * 1024 + 123;

describe('downloadFile', () => {
  let content: Buffer;
  let sha: string;
  let server: TestFileServer;
  let dir: string;
  beforeAll(() => {
    content = randomBytes(SIZE);
    sha = sha256Hex(content);
  });
  beforeEach(async () => {
    server = await startTestFileServer(content);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-dl-'));
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('downloads, reports progress, verifies and renames into place', async () => {
    const progress: DownloadProgress[] = [];
    const dest = path.join(dir, 'm.gguf');
    const r = await downloadFile({
      url: server.url,
      dest,
      sha256: sha,
      onProgress: (p) => progress.push(p),
      progressIntervalMs: 0,
    });
    expect(r).toMatchObject({ bytes: SIZE, sha256: sha, verified: true, resumedFrom: 0, alreadyPresent: false });
    expect(fs.readFileSync(dest).equals(content)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['m.gguf']);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toMatchObject({ bytes: SIZE, total: SIZE });
    expect(progress.some((p) => p.bytesPerSecond > 0 && p.etaMs !== undefined)).toBe(true);
    // A second call finds the verified file and does not download again.
    const again = await downloadFile({ url: server.url, dest, sha256: sha });
    expect(again.alreadyPresent).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('resumes with Range after the connection drops mid-way', async () => {
    server.mode = { dropAfterBytes: 1_000_000 };
    const checkpoints: number[] = [];
    const dest = path.join(dir, 'm.gguf');
    const r = await downloadFile({
      url: server.url,
      dest,
      sha256: sha,
      onCheckpoint: (c) => checkpoints.push(c.bytes),
    });
    expect(r.bytes).toBe(SIZE);
    expect(fs.readFileSync(dest).equals(content)).toBe(true);
    expect(server.requests).toHaveLength(2);
    // Resumes from what reached the part file: every byte sent, or a little less when the drop
    // came before the last write was flushed; never from zero.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(server.requests[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(500_000);
    expect(resumedAt).toBeLessThanOrEqual(1_000_000);
    expect(server.requests[1]!.ifRange).toBe('"v1"');
    expect(checkpoints).toContain(resumedAt);
  });

  it('resumes from a part file left by an earlier process, re-hashing its bytes', async () => {
    const dest = path.join(dir, 'm.gguf');
    fs.writeFileSync(dest + '.part', content.subarray(0, 2_000_000));
    const r = await downloadFile({ url: server.url, dest, sha256: sha, validator: '"v1"' });
    expect(r).toMatchObject({ resumedFrom: 2_000_000, verified: true });
    expect(server.requests[0]).toEqual({ range: 'bytes=2000000-', ifRange: '"v1"' });
  });

  it('restarts from zero when the server ignores Range', async () => {
    const dest = path.join(dir, 'm.gguf');
    fs.writeFileSync(dest + '.part', Buffer.alloc(500_000, 7));
    server.mode = { ignoreRange: true };
    const r = await downloadFile({ url: server.url, dest, sha256: sha });
    expect(r.bytes).toBe(SIZE);
    expect(fs.readFileSync(dest).equals(content)).toBe(true);
  });

  it('rejects a corrupted body: deletes the part, leaves nothing looking complete', async () => {
    server.mode = { corrupt: true };
    const dest = path.join(dir, 'm.gguf');
    const err = await downloadFile({ url: server.url, dest, sha256: sha }).catch((e) => e);
    expect(DownloadError.isInstance(err) && err.code).toBe('checksum_mismatch');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('cancels via AbortSignal and keeps the part file for a later resume', async () => {
    server.mode = { delayMs: 5 };
    const ac = new AbortController();
    const dest = path.join(dir, 'm.gguf');
    const err = await downloadFile({
      url: server.url,
      dest,
      sha256: sha,
      progressIntervalMs: 0,
      onProgress: (p) => p.bytes > 300_000 && ac.abort(),
      signal: ac.signal,
    }).catch((e) => e);
    expect(DownloadError.isInstance(err) && err.code).toBe('aborted');
    expect(fs.existsSync(dest)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['m.gguf.part']);
  });

  it('refuses to start when the disk cannot hold the file', async () => {
    const dest = path.join(dir, 'm.gguf');
    const err = await downloadFile({ url: server.url, dest, expectedSize: 1e18 }).catch((e) => e);
    expect(DownloadError.isInstance(err) && err.code).toBe('disk_full');
    expect(server.requests).toHaveLength(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a second concurrent download of the same file', async () => {
    server.mode = { delayMs: 5 };
    const dest = path.join(dir, 'm.gguf');
    const first = downloadFile({ url: server.url, dest, sha256: sha });
    await expect(downloadFile({ url: server.url, dest, sha256: sha })).rejects.toMatchObject({ code: 'busy' });
    expect((await first).verified).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['m.gguf']);
  });

  it('maps HTTP errors to typed codes', async () => {
    server.mode = { status: 404 };
    const dest = path.join(dir, 'm.gguf');
    await expect(downloadFile({ url: server.url, dest })).rejects.toMatchObject({ code: 'not_found' });
    server.mode = { status: 401 };
    await expect(downloadFile({ url: server.url, dest })).rejects.toMatchObject({ code: 'auth_required' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('says the machine may be offline when the server cannot be reached', async () => {
    const url = server.url;
    await server.close();
    const dest = path.join(dir, 'm.gguf');
    await expect(downloadFile({ url, dest, maxResumes: 0 })).rejects.toMatchObject({
      code: 'network',
      message: expect.stringMatching(/may be offline/),
    });
  });
});
