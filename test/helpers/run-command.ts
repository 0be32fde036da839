import { Command } from 'commander';
import { vi } from 'vitest';

/**
 * Runs `palimpsest --data-dir DIR <args>` in-process with only the given command group registered,
 * and returns what went to stdout (stderr is silenced).
 */
export async function runCommand(
  register: (program: Command) => void,
  dataDir: string,
  args: string[],
): Promise<string> {
  const program = new Command('palimpsest').option('--data-dir <dir>').option('--json').exitOverride();
  register(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['--data-dir', dataDir, ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  return out;
}
