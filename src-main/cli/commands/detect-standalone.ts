/**
 * Runs `palimpsest detect` without the rest of the CLI:
 *   npx tsx src-main/cli/commands/detect-standalone.ts --input in.jsonl --output out.jsonl
 */
import { Command, CommanderError } from 'commander';
import { CliError } from '../output';
import { registerDetect } from './detect';

export async function runDetectStandalone(argv: string[]): Promise<number> {
  const program = new Command('palimpsest').exitOverride();
  registerDetect(program);
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(['detect', ...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const msg = (e as { userMessage?: string }).userMessage ?? String((e as Error).message ?? e);
    process.stderr.write(`palimpsest detect: ${msg}\n`);
    return e instanceof CliError ? e.exitCode : 1;
  }
}

if (process.argv[1] && /detect-standalone\.(?:ts|js)$/.test(process.argv[1])) {
  runDetectStandalone(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
