import { procedure, router } from './trpc';

export const API_VERSION = 1 as const;

export const systemRouter = router({
  /** Facts the UI shows in Settings and the help overlay. */
  info: procedure.query(({ ctx }) => ({
    apiVersion: API_VERSION,
    version: process.env.PALIMPSEST_VERSION ?? '0.1.0',
    transport: ctx.transport,
    dataDir: ctx.app.store.dataDir,
    schemaVersion: ctx.app.store.schemaVersion,
    platform: process.platform,
  })),
});
