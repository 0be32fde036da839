export { convertLlama2cToGguf, type ConvertLlama2cOptions, type ConvertLlama2cResult } from './llama2c';
export { readGgufInfo, type GgufInfo } from './gguf';
export {
  createLocalProvider,
  LocalProvider,
  LocalEngine,
  sharedLocalEngine,
  type LocalProviderOptions,
  type LocalEngineOptions,
} from './local';
export {
  OpenAiCompatibleProvider,
  detectOllama,
  createOllamaProvider,
  type OpenAiCompatibleOptions,
  type OllamaProbe,
} from './openai';
export { PoolProvider, type PoolOptions, type PoolMember, type PoolMemberStatus } from './pool';
export {
  FileSecretStore,
  openFileSecretStore,
  redactSecrets,
  maskSecret,
  type SecretStore,
  type SecretCipher,
} from './keys';
export {
  downloadFile,
  DownloadError,
  registerModelDownloadJob,
  enqueueCatalogDownload,
  MODEL_DOWNLOAD_JOB,
  type DownloadProgress,
  type DownloadResult,
  type ModelDownloadPayload,
} from './download';
export {
  listCatalog,
  findCatalogEntry,
  checkMemoryFit,
  estimateMemory,
  listInstalledModels,
  findInstalledModel,
  modelsDirFor,
  type CatalogEntry,
  type InstalledModel,
  type MemoryFit,
} from './catalog';
export { EndpointRegistry, ProviderResolver, type Endpoint, type ProviderRef } from './endpoints';
export {
  LlmService,
  ModelLibrary,
  toAppError,
  type LlmServiceOptions,
  type ProviderHealth,
  type InstalledModelInfo,
  type CatalogModelInfo,
  type EndpointInfo,
  type EndpointInput,
  type EndpointPatch,
  type ImportModelInput,
  type GenerateInput,
  type UrlDownloadInput,
} from './service';
