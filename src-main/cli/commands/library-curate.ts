import type { Command } from 'commander';

/** `palimpsest library curate` (the curation log), under the `library` group. */
export function registerLibraryCurate(library: Command): void {
  void library;
}
