/**
 * Authorship: who wrote what. Authors (the human user and model co-writers), the contribution
 * log (who wrote which span of a document, by which operation) and the generation log (every
 * model call). Documents, the co-authoring editor and stories build on it. Pure rules the
 * renderer shares live in `./common`.
 */
export * from './common';
export type { Author, ModelAuthorConfig, CreateModelAuthorInput, UpdateModelAuthorInput } from './author-types';
export type { GenerationRecord, NewGenerationRecord } from './generation-types';
export { AuthorService } from './author-service';
export { GenerationLog } from './generation-log';
export { ContributionLog, type ContributionEvent, type StoredContributionEvent } from './contribution-log';
export { generateWithAuthor, type GenerateWithAuthorInput, type GenerateWithAuthorDeps } from './generate-with-author';
