/**
 * How text entered a document; every contribution event records one. `generate` is text a model
 * author wrote (its event may point at the `generations` row that produced it).
 */
export const CONTRIBUTION_OPERATIONS = ['type', 'paste', 'import', 'restore', 'generate'] as const;
export type ContributionOperation = (typeof CONTRIBUTION_OPERATIONS)[number];

/** The operations a client may ask for when it saves a person's edit. */
export const HUMAN_OPERATIONS = [
  'type',
  'paste',
  'import',
  'restore',
] as const satisfies readonly ContributionOperation[];
export type HumanOperation = (typeof HUMAN_OPERATIONS)[number];

/** What the History panel and exports call each operation. */
export const OPERATION_LABELS: Readonly<Record<ContributionOperation, string>> = {
  type: 'Typed',
  paste: 'Pasted',
  import: 'Imported',
  restore: 'Restored from a revision',
  generate: 'Written by a model',
};

/** The label of a recorded operation; events written by a newer version show their raw name. */
export function operationLabel(operation: string): string {
  return (OPERATION_LABELS as Record<string, string | undefined>)[operation] ?? operation;
}
