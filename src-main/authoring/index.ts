/**
 * Co-authoring: edits applied atomically to a document's plain text, a hash-chained edit log,
 * per-character provenance derived from it, verification, self-contained bundles and reports.
 * Pure rules shared with the editor live in `./common`; LLM operations in `./operations`.
 */
export * from './common';
export {
  AuthoringService,
  sha256Hex,
  MAX_EDITS_PER_APPLY,
  type ApplyInput,
  type ApplyResult,
  type AuthoringDocument,
} from './authoring-service';
