/** The app-level LLM service: providers, models folder, catalog downloads, endpoints, authors, generation. */
export { LlmService, type LlmServiceOptions } from './llm-service';
export { toAppError } from './to-app-error';
export type {
  ProviderHealth,
  InstalledModelInfo,
  CatalogModelInfo,
  EndpointInfo,
  EndpointInput,
  EndpointPatch,
  ImportModelInput,
  GenerateInput,
} from './llm-service-types';
