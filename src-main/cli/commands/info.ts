import type { Command } from 'commander';
import { globalOptions, withCaller } from '../with-app';

/** `palimpsest info`: what `system.info` tells the UI — versions, the data folder and its schema. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('Show the version, API and schema versions, and the data folder in use')
    .action(async (_opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const info = await api.system.info();
        if (globalOptions(cmd).json) {
          process.stdout.write(JSON.stringify(info, null, 2) + '\n');
          return;
        }
        process.stdout.write(
          `Palimpsest ${info.version} (API ${info.apiVersion}, schema ${info.schemaVersion}, ${info.platform})\n` +
            `Data: ${info.dataDir}\n`,
        );
      });
    });
}
