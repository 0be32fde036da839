import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { cliPath, repoRoot } from './temp-dir';

/** Where E2E tests save screenshots. */
export const SHOTS = path.join(repoRoot, 'test-results', 'screenshots');

/** Starts `palimpsest serve` as a user would and resolves with its launch URL. */
export async function startServer(
  dataDir: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [cliPath, '--data-dir', dataDir, '--json', 'serve'], {
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, proc };
}
