import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback static-file server for download tests: honours Range/If-Range and can misbehave on
 * request (drop the connection mid-body, corrupt bytes, trickle slowly). Not used by the app.
 */
export interface TestFileServer {
  url: string;
  readonly requests: Array<{ range?: string; ifRange?: string }>;
  /** Behaviour for the next requests. */
  mode: {
    /** Destroy the socket after this many body bytes (once, then reset to undefined). */
    dropAfterBytes?: number;
    /** Flip one byte in the body. */
    corrupt?: boolean;
    /** ms to wait between 64 KiB chunks. */
    delayMs?: number;
    /** Ignore Range and always send 200 with the whole file. */
    ignoreRange?: boolean;
    status?: number;
  };
  close(): Promise<void>;
}

export const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export async function startTestFileServer(content: Buffer, etag = '"v1"'): Promise<TestFileServer> {
  const requests: TestFileServer['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const state: TestFileServer = {
    url: '',
    requests,
    mode: {},
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer(async (req, res) => {
    const range = req.headers.range;
    const ifRange = req.headers['if-range'] as string | undefined;
    requests.push({ ...(range ? { range } : {}), ...(ifRange ? { ifRange } : {}) });
    const mode = state.mode;
    if (mode.status) {
      res.writeHead(mode.status);
      return res.end();
    }
    let start = 0;
    const m = range && !mode.ignoreRange && (!ifRange || ifRange === etag) ? /bytes=(\d+)-/.exec(range) : null;
    if (m) start = Number(m[1]);
    if (start >= content.length && m) {
      res.writeHead(416, { 'content-range': `bytes */${content.length}` });
      return res.end();
    }
    const body = Buffer.from(content.subarray(start));
    if (mode.corrupt && body.length > 10) body[10] = body[10]! ^ 0xff;
    res.writeHead(m ? 206 : 200, {
      'content-length': body.length,
      'content-type': 'application/octet-stream',
      etag,
      'accept-ranges': 'bytes',
      ...(m ? { 'content-range': `bytes ${start}-${content.length - 1}/${content.length}` } : {}),
    });
    const drop = mode.dropAfterBytes;
    let sent = 0;
    for (let off = 0; off < body.length; off += 64 * 1024) {
      const piece = body.subarray(off, Math.min(off + 64 * 1024, body.length));
      if (drop !== undefined && sent + piece.length > drop) {
        state.mode = { ...state.mode, dropAfterBytes: undefined };
        await new Promise<void>((r) => res.write(piece.subarray(0, drop - sent), () => r()));
        // A half-close (FIN) after the bytes are flushed: an abrupt destroy() can reset the
        // connection before a loaded client has read them, making the resume point nondeterministic.
        const socket = res.socket;
        socket?.end();
        setTimeout(() => socket?.destroy(), 500);
        return;
      }
      if (res.destroyed) return;
      const ok = res.write(piece);
      sent += piece.length;
      if (!ok) await new Promise((r) => res.once('drain', r));
      if (mode.delayMs) await new Promise((r) => setTimeout(r, mode.delayMs));
    }
    res.end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.gguf`;
  return state;
}
