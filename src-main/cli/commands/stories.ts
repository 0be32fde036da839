import type { Command } from 'commander';

/** `palimpsest stories run|batch|list` (generation); returns the group for the dataset commands. */
export function registerStories(program: Command): Command {
  return program.command('stories').description('Multi-LLM collaborative stories: generate, list, export, analyze');
}
