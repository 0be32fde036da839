import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server speaking the OpenAI wire format, for tests and the benchmark. Listens on
 * 127.0.0.1 with an ephemeral port; each test swaps in the behaviour it needs via `handle`.
 * Not used by the app.
 */

/** One request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, or undefined for GET / non-JSON. */
  body: Record<string, unknown> | undefined;
}

export type FakeHandler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

export interface FakeOpenAiServer {
  /** `http://127.0.0.1:<port>/v1` */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Replaces the behaviour for subsequent requests. */
  handle(handler: FakeHandler): void;
  /** Closes the server and every open socket. */
  close(): Promise<void>;
}

export interface StreamOptions {
  kind?: 'chat' | 'completion';
  /** ms between chunks (default 0: written back to back). */
  delayMs?: number;
  finishReason?: string;
  /** Emit a usage chunk (default true). */
  usage?: boolean;
  /** Attach a logprob per token. */
  logprobs?: boolean;
  /** Destroy the socket after this many tokens, without [DONE]. */
  cutAfter?: number;
  /** Write all chunks in one `res.write` (benchmarks: isolates client cost from syscalls). */
  batch?: boolean;
  /** llama.cpp's `timings` object, sent on the finish chunk as llama-server does. */
  timings?: Record<string, number>;
}

/** Writes `tokens` as an OpenAI SSE stream (one chunk per token, then finish, usage, [DONE]). */
export async function writeSseStream(
  res: http.ServerResponse,
  tokens: readonly string[],
  opts: StreamOptions = {},
): Promise<void> {
  const kind = opts.kind ?? 'chat';
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const pending: string[] = [];
  const write = (s: string) => (opts.batch ? pending.push(s) : res.write(s));
  for (let i = 0; i < tokens.length; i++) {
    if (opts.cutAfter !== undefined && i === opts.cutAfter) {
      // Let the chunks already written reach the client, then drop the connection without [DONE].
      await new Promise<void>((r) => res.write('', () => r()));
      await new Promise((r) => setTimeout(r, 20));
      res.socket?.destroy();
      return;
    }
    write(`data: ${JSON.stringify(chunk(kind, tokens[i]!, null, opts.logprobs))}\n\n`);
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
  }
  const finish = chunk(kind, '', opts.finishReason ?? 'stop', false);
  write(`data: ${JSON.stringify(opts.timings ? { ...finish, timings: opts.timings } : finish)}\n\n`);
  if (opts.usage !== false) {
    write(
      `data: ${JSON.stringify({ id: 'cmpl-1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 7, completion_tokens: tokens.length, total_tokens: 7 + tokens.length } })}\n\n`,
    );
  }
  write('data: [DONE]\n\n');
  if (opts.batch) res.write(pending.join(''));
  res.end();
}

function chunk(
  kind: 'chat' | 'completion',
  text: string,
  finish: string | null,
  logprobs?: boolean,
): Record<string, unknown> {
  if (kind === 'chat') {
    return {
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'fake-model',
      choices: [
        {
          index: 0,
          delta: text ? { content: text } : {},
          logprobs: logprobs ? { content: [{ token: text, logprob: -0.5, top_logprobs: [] }] } : null,
          finish_reason: finish,
        },
      ],
    };
  }
  return {
    id: 'cmpl-1',
    object: 'text_completion',
    created: 0,
    model: 'fake-model',
    choices: [
      {
        index: 0,
        text,
        logprobs: logprobs ? { tokens: [text], token_logprobs: [-0.25], top_logprobs: null, text_offset: [0] } : null,
        finish_reason: finish,
      },
    ],
  };
}

/** JSON response helper. */
export function writeJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The default behaviour: lists `fake-model` and streams "Once upon a time" for any generation. */
export const defaultHandler: FakeHandler = async (req, res) => {
  if (req.method === 'GET' && req.path.endsWith('/models'))
    return writeJson(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model' }] });
  if (req.method === 'POST' && (req.path.endsWith('/chat/completions') || req.path.endsWith('/completions'))) {
    const kind = req.path.endsWith('/chat/completions') ? 'chat' : 'completion';
    return writeSseStream(res, ['Once', ' upon', ' a', ' time'], { kind, logprobs: Boolean(req.body?.logprobs) });
  }
  writeJson(res, 404, { error: { message: `Unknown route ${req.path}` } });
};

/** Starts the server on 127.0.0.1:0. */
export async function startFakeOpenAiServer(handler: FakeHandler = defaultHandler): Promise<FakeOpenAiServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0]!,
        headers: req.headers,
        body,
      };
      requests.push(rec);
      Promise.resolve(current(rec, res)).catch(() => res.destroy());
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    handle: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
