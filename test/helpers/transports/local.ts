import { TRPCError } from '@trpc/server';
import { createLocalCaller } from '../../../src-main/api';
import { apiErrorData } from '../../../src-main/api/trpc';
import { createApp } from '../../../src-main/app';
import { tempDir } from '../temp-dir';
import { procedureType, walk, type CallResult, type Transport } from './transport';

/** In-process calls through createLocalCaller (what the CLI and benchmarks use). */
export async function localTransport(): Promise<Transport> {
  const app = createApp({ dataDir: tempDir() });
  const ctx = { app, transport: 'local' as const };
  const caller = createLocalCaller(ctx);
  return {
    name: 'local caller',
    contextName: 'local',
    supports: () => true,
    failureCode: (code) => code,
    async call(path, input): Promise<CallResult> {
      try {
        const fn = walk(caller, path) as unknown as (input: unknown) => Promise<unknown>;
        return { ok: true, data: await fn(input) };
      } catch (e) {
        if (!(e instanceof TRPCError)) throw e;
        return { ok: false, code: e.code, message: apiErrorData(e).userMessage };
      }
    },
    async subscribe(path, onData) {
      if (procedureType(path) !== 'subscription') throw new Error(`${path} is not a subscription`);
      // Aborting the caller's signal is what ends the event stream (iterator.return would wait for an event).
      const abort = new AbortController();
      const sub = createLocalCaller(ctx, { signal: abort.signal });
      const fn = walk(sub, path) as unknown as () => Promise<AsyncIterable<unknown>>;
      const iterable = await fn();
      void (async () => {
        for await (const value of iterable) onData(value);
      })();
      return () => abort.abort();
    },
    close: () => app.dispose(),
  };
}
