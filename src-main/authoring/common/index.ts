/**
 * Authoring rules with no Node in them: the contract, the attribution replay, the hash chain's
 * canonical form and the bundle verifier. The core and the editor import this at run time.
 */
export * from './contract';
export { SpanTable, type AttributedRun, type CharAttr } from './span-table';
export {
  applyEdit,
  editProblem,
  hasLoneSurrogate,
  EDITED_AFTER_LLM,
  ProvenanceReplay,
  RemovalStack,
  type ReplayEdit,
} from './replay';
export { canonicalEvent, eventHash, GENESIS_SEED, type Sha256Hex } from './canonical-event';
export { verifyChain } from './verify-chain';
export { bundleSchema, canonicalBundle, verifyBundle, type BundleVerifyResult } from './bundle';
export { summarize, REVISING_OPERATIONS, type ProvenanceSummary } from './summarize';
