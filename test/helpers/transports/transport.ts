import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { appRouter } from '../../../src-main/api';

/** What one call through a transport gave: the procedure's data, or the failure a client sees. */
export type CallResult = { ok: true; data: unknown } | { ok: false; code: string; message: string };

/**
 * The tiny interface every transport under test implements (after tRPC's adapter test suite):
 * the same cases run through each, and they must agree.
 */
export interface Transport {
  readonly name: string;
  /** The `transport` value procedures see in their context (system.info reports it). */
  readonly contextName: string;
  /** Calls a procedure by its dotted path (`documents.get`). */
  call(path: string, input?: unknown): Promise<CallResult>;
  /** False for procedures this transport cannot carry (the CLI has no command for some). */
  supports(path: string): boolean;
  /** How this transport reports a tRPC error code: the code itself, or the CLI's exit status. */
  failureCode(code: TRPC_ERROR_CODE_KEY): string;
  /** Follows a subscription; absent when the transport has no push channel (the CLI). */
  subscribe?(path: string, onData: (value: unknown) => void): Promise<() => void>;
  close(): Promise<void>;
}

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** Whether a path is a query, mutation or subscription, from the router itself. */
export function procedureType(path: string): ProcedureType {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: ProcedureType } } | undefined
  >;
  const p = procedures[path];
  if (!p) throw new Error(`No procedure ${path}`);
  return p._def.type;
}

/** `client.documents.get` from 'documents.get', for the untyped calls the suite makes. */
export function walk(root: unknown, path: string): Record<string, (...args: unknown[]) => unknown> {
  let node = root as Record<string, unknown>;
  for (const key of path.split('.')) node = node[key] as Record<string, unknown>;
  return node as Record<string, (...args: unknown[]) => unknown>;
}
