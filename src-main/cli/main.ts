import { Command, CommanderError } from 'commander';
import { registerAuthoring } from './commands/authoring';
import { registerChecks } from './commands/checks';
import { registerDetect } from './commands/detect';
import { registerDocs } from './commands/docs';
import { registerInfo } from './commands/info';
import { registerJobs } from './commands/jobs';
import { registerLibrary } from './commands/library';
import { registerLibraryCurate } from './commands/library-curate';
import { registerModels } from './commands/models';
import { registerServe } from './commands/serve';
import { registerStories } from './commands/stories';
import { registerStoryDataset } from './commands/stories-dataset';
import { describeError, CliError } from './output';

/** Builds the `palimpsest` command tree. Capabilities add their command groups here. */
export function buildProgram(): Command {
  const program = new Command('palimpsest')
    .description('Palimpsest: human–LLM co-authoring and authorship detection, headless.')
    .version(process.env.PALIMPSEST_VERSION ?? '0.1.0')
    .option('--data-dir <dir>', 'data folder (default: PALIMPSEST_DATA_DIR or the per-user data folder)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerServe(program);
  registerInfo(program);
  registerDocs(program);
  registerAuthoring(program);
  registerJobs(program);
  registerModels(program);
  registerDetect(program);
  registerChecks(program);
  registerStoryDataset(registerStories(program));
  registerLibraryCurate(registerLibrary(program));
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" to commander but successes to the user.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return 0;
      return e.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`palimpsest: ${describeError(e)}\n`);
    return e instanceof CliError ? e.exitCode : 1;
  }
}

// Entry point when bundled as out/cli/main.js or run with tsx.
if (process.argv[1] && /cli[\\/]main\.(?:ts|js)$/.test(process.argv[1])) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
