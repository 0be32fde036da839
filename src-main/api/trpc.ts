import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { App } from '../app';
import { AppError, type AppErrorCode } from '../core/app-error';

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

const FROM_TRPC_CODE: Partial<Record<TRPCError['code'], AppErrorCode>> = Object.fromEntries(
  Object.entries(TRPC_CODE).map(([app, trpc]) => [trpc, app as AppErrorCode]),
);

/** Error details that travel to the client: class identity does not survive the wire. */
export interface ApiErrorData {
  appCode: AppErrorCode;
  userMessage: string;
  details?: Record<string, unknown>;
  issues?: Array<{ path: string; message: string }>;
}

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let data: ApiErrorData;
    if (cause instanceof ZodError) {
      const issues = cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      data = {
        appCode: 'bad_request',
        userMessage: `Invalid request: ${issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ')}`,
        issues,
      };
    } else if (AppError.isInstance(cause)) {
      data = { appCode: cause.code, userMessage: cause.userMessage, details: cause.details };
    } else {
      data = {
        appCode: FROM_TRPC_CODE[error.code] ?? 'internal',
        userMessage: error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong inside Palimpsest.' : error.message,
      };
    }
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
