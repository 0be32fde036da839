/** Curated downloadable models, memory estimates, and the registry of installed model files. */
export type { CatalogEntry } from './catalog-entry';
export { listCatalog, findCatalogEntry, modelsDirFor, describeVerification } from './catalog';
export { CURATED_MODELS } from './curated-models';
export { estimateMemory, checkMemoryFit, type MemoryFit } from './memory-estimate';
export {
  recordInstalledModel,
  listInstalledModels,
  findInstalledModel,
  removeInstalledModel,
  modelIdFromFileName,
  type InstalledModel,
} from './installed-models';
