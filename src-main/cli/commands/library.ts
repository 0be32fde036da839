import type { Command } from 'commander';

/** `palimpsest library add|list|search` (the index); returns the group for the curation commands. */
export function registerLibrary(program: Command): Command {
  return program.command('library').description('Reference library: add files, search passages, curate');
}
