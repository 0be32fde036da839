/**
 * How provenance shows each operation's share of the text (the panel and the HTML/PDF reports):
 * one table, so a report never names an operation differently from the app.
 */
import { operationLabel } from '../../authorship/common';

const SHARE_LABELS: Readonly<Record<string, string>> = {
  type: 'Typed',
  paste: 'Pasted',
  cut: 'Cut',
  drag: 'Moved (drag)',
  undo: 'Undo',
  redo: 'Redo',
  import: 'Imported',
  restore: 'Restored',
  replace: 'Find/replace',
  'edited-after-llm': 'Edited after LLM',
  continue: 'LLM: continue',
  extend: 'LLM: extend',
  polish: 'LLM: polish',
  rewrite: 'LLM: rewrite',
  summarize: 'LLM: summarize',
  instruction: 'LLM: instruction',
  generate: 'LLM: generated',
};

/** The label of an operation's share; operations a newer version records fall back to their name. */
export function operationShareLabel(operation: string): string {
  return SHARE_LABELS[operation] ?? operationLabel(operation);
}
