import type { Command } from 'commander';
import type { App } from '../app';

/** Global options every command inherits. */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/**
 * Opens the app on the chosen data dir for one command and always closes it, so the CLI never
 * leaves the database locked. Jobs do not auto-start: commands that run jobs start the runner.
 * The core is imported here, not at the top: `--help` and usage errors never load it.
 */
export async function withApp<T>(cmd: Command, fn: (app: App) => Promise<T> | T): Promise<T> {
  const [{ createApp }, { resolveDataDir }] = await Promise.all([import('../app'), import('../store/data-dir')]);
  const app = createApp({ dataDir: resolveDataDir(globalOptions(cmd).dataDir), startJobs: false });
  try {
    return await fn(app);
  } finally {
    await app.dispose();
  }
}

/** The API as the CLI sees it: the same procedures, validation and errors as the UI's transports. */
export type LocalCaller = ReturnType<typeof import('../api/router').createLocalCaller>;

/**
 * Opens the app for one command and hands it the local tRPC caller, so a command calls the same
 * procedure the UI does (same zod validation, same errors) instead of reaching into services.
 */
export async function withCaller<T>(
  cmd: Command,
  fn: (api: LocalCaller, app: App) => Promise<T> | T,
  /** `signal` reaches every procedure as its `signal` (a subscription ends when it aborts: Ctrl-C). */
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  const { createLocalCaller } = await import('../api/router');
  return withApp(cmd, (app) => fn(createLocalCaller({ app, transport: 'local' }, options), app));
}
