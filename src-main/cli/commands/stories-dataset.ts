import type { Command } from 'commander';

/** `palimpsest stories export|analyze` (datasets and authorship analysis), under the `stories` group. */
export function registerStoryDataset(stories: Command): void {
  void stories;
}
