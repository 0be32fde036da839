import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { rendererDir } from '../paths';
import { CliError } from '../output';
import { globalOptions } from '../with-app';

/** `palimpsest serve`: browser mode, headless, for labs and for machines without Electron. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the app in a browser on 127.0.0.1 (prints the URL with its access token)')
    .option('-p, --port <port>', 'port (default: a free one)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`--port must be 0..65535, not ${v}`, 2);
      return n;
    })
    .option('--open', 'open the URL in the default browser')
    .action(async (opts: { port?: number; open?: boolean }, cmd: Command) => {
      // Loaded here, not at the top, so other commands and --help do not pay for the server.
      const [{ createApp }, { startWebServer }, { resolveDataDir }] = await Promise.all([
        import('../../app'),
        import('../../server'),
        import('../../store/data-dir'),
      ]);
      const app = createApp({ dataDir: resolveDataDir(globalOptions(cmd).dataDir) });
      const server = await startWebServer({
        app,
        rendererDir: rendererDir(),
        port: opts.port,
        token: process.env.PALIMPSEST_TOKEN,
      });
      if (globalOptions(cmd).json) {
        process.stdout.write(JSON.stringify({ url: server.url, port: server.port, dataDir: app.store.dataDir }) + '\n');
      } else {
        process.stdout.write(
          `Palimpsest is running at ${server.url}\nData: ${app.store.dataDir}\nPress Ctrl+C to stop.\n`,
        );
      }
      if (opts.open) openInBrowser(server.url);
      let closing = false;
      const shutdown = async () => {
        if (closing) return;
        closing = true;
        await server.close();
        await app.dispose();
        process.exit(0);
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      await new Promise(() => {}); // serve until a signal arrives
    });
}

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`Could not open a browser; open ${url} yourself.\n`));
  child.unref();
}
