/** The app-level LLM service: providers, models folder, catalog downloads, endpoints, authors, generation. */
export { LlmService, type LlmServiceOptions } from './llm-service';
export { toAppError } from './to-app-error';
export { ModelLibrary, type ModelProvenance } from './model-library';
export type {
  ProviderHealth,
  InstalledModelInfo,
  CatalogModelInfo,
  EndpointInfo,
  EndpointInput,
  EndpointPatch,
  ImportModelInput,
  GenerateInput,
  UrlDownloadInput,
} from './llm-service-types';
