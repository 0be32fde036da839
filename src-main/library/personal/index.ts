/**
 * Personalized retrieval (SymbioticRAG Level 2): the `personal` retriever's reranker learned from
 * the writer's curation log, and the intent summary that expands queries.
 */
export {
  PersonalRanker,
  PERSONAL_CANDIDATES,
  type HybridSearch,
  type PersonalModel,
  type PersonalRankerDeps,
} from './personal-ranker';
export { intentFrom, expandQuery, type IntentSummary } from './intent';
export { FEATURES, featureRows, type CuratedItem, type FeatureName, type RankCandidate } from './features';
export { fitPairwise, priorWeights, scoreRow, type TrainingList } from './pairwise-model';
export {
  DEFAULT_PERSONALIZATION,
  PersonalizationSettingsStore,
  type PersonalizationSettings,
} from './personalization-settings';
