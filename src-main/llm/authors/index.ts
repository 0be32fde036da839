/** Model authors, endpoints, provider resolution and the generation log. */
export type {
  Author,
  ModelAuthorConfig,
  CreateModelAuthorInput,
  UpdateModelAuthorInput,
  GenerationRecord,
  NewGenerationRecord,
  Endpoint,
  ProviderRef,
} from './author-types';
export { AuthorService, HUMAN_AUTHOR_ID } from './author-service';
export { EndpointRegistry, type AddEndpointInput } from './endpoint-registry';
export { ProviderResolver, type ProviderResolverOptions } from './provider-resolver';
export { generateWithAuthor, type GenerateWithAuthorInput, type GenerateWithAuthorDeps } from './generate-with-author';
