import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { App } from '../app';
import { AppError, type AppErrorCode } from '../core/app-error';
import { REQUEST_TOO_LARGE_MESSAGE } from './request-size';
import { describeValidationIssues } from './validation-message';

/** What every procedure sees: the wired core, and which transport carried the call. */
export interface ApiContext {
  app: App;
  transport: 'ipc' | 'http' | 'ws' | 'local';
  /** Set by the IPC adapter for a frame that is not our UI: every procedure refuses it. */
  untrusted?: boolean;
}

/** One table from our error codes to tRPC codes (and so to HTTP statuses). */
const TRPC_CODE: Record<AppErrorCode, TRPCError['code']> = {
  bad_request: 'BAD_REQUEST', // 400
  forbidden: 'FORBIDDEN', // 403
  not_found: 'NOT_FOUND', // 404
  conflict: 'CONFLICT', // 409
  unavailable: 'SERVICE_UNAVAILABLE', // 503
  internal: 'INTERNAL_SERVER_ERROR', // 500
};

const FROM_TRPC_CODE: Partial<Record<TRPCError['code'], AppErrorCode>> = {
  ...Object.fromEntries(Object.entries(TRPC_CODE).map(([app, trpc]) => [trpc, app as AppErrorCode])),
  PAYLOAD_TOO_LARGE: 'bad_request', // 413, raised by the HTTP adapter while reading the body
  PARSE_ERROR: 'bad_request',
};

/** Messages for errors tRPC raises itself, whose own message is only the code. */
const TRPC_MESSAGES: Partial<Record<TRPCError['code'], string>> = {
  PAYLOAD_TOO_LARGE: REQUEST_TOO_LARGE_MESSAGE,
  INTERNAL_SERVER_ERROR: 'Something went wrong inside Palimpsest.',
};

/** Error details that travel to the client: class identity does not survive the wire. */
export interface ApiErrorData {
  appCode: AppErrorCode;
  /** A sentence the UI shows as is: no internal prefixes, fields named as the user knows them. */
  userMessage: string;
  details?: Record<string, unknown>;
  /** Validation failures for programs: the field path (`files.2.text`) and zod's own message. */
  issues?: Array<{ path: string; message: string }>;
}

/**
 * What a client learns about a failed call, from the TRPCError a procedure ended with. Transports
 * send it as the error's `data`; in-process callers (CLI, tests) call it on what the local caller
 * threw, so every client shows the same `userMessage`.
 */
export function apiErrorData(error: TRPCError): ApiErrorData {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const issues = cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return { appCode: 'bad_request', userMessage: describeValidationIssues(cause.issues), issues };
  }
  if (AppError.isInstance(cause))
    return { appCode: cause.code, userMessage: cause.userMessage, details: cause.details };
  return { appCode: FROM_TRPC_CODE[error.code] ?? 'internal', userMessage: TRPC_MESSAGES[error.code] ?? error.message };
}

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    const data = apiErrorData(error);
    return { ...shape, message: data.userMessage, data: { ...shape.data, stack: undefined, ...data } };
  },
});

/** Turns AppErrors thrown by services into tRPC errors with the mapped status; keeps the cause. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (AppError.isInstance(cause)) {
      throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.userMessage, cause });
    }
    if (result.error.code === 'INTERNAL_SERVER_ERROR' && !(cause instanceof ZodError)) {
      console.error('[palimpsest] internal error:', cause ?? result.error);
    }
  }
  return result;
});

/**
 * Refuses untrusted IPC senders inside the procedure, not in createContext: trpc-electron leaves a
 * throwing createContext unanswered, and the caller would wait forever.
 */
const refuseUntrusted = t.middleware(({ ctx, next }) => {
  if (ctx.untrusted) throw new TRPCError({ code: 'FORBIDDEN', message: 'This page may not use the Palimpsest API.' });
  return next();
});

export const router = t.router;
export const procedure = t.procedure.use(refuseUntrusted).use(mapErrors);
export const createCallerFactory = t.createCallerFactory;
