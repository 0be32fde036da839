import type http from 'node:http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { REQUEST_TOO_LARGE_MESSAGE } from '../api/request-size';

/**
 * True (and answers 413) when the declared Content-Length is over the limit, before any of the
 * body is read. `Connection: close` makes the client stop sending instead of the server draining
 * the rest. The body has tRPC's error shape, so clients show `userMessage` like any other error.
 */
export function refuseDeclaredOversize(req: http.IncomingMessage, res: http.ServerResponse, limit: number): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!(declared > limit)) return false;
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(
    JSON.stringify({
      error: {
        message: REQUEST_TOO_LARGE_MESSAGE,
        code: TRPC_ERROR_CODES_BY_KEY.PAYLOAD_TOO_LARGE,
        data: {
          code: 'PAYLOAD_TOO_LARGE',
          httpStatus: 413,
          appCode: 'bad_request',
          userMessage: REQUEST_TOO_LARGE_MESSAGE,
        },
      },
    }),
  );
  return true;
}
