import path from 'node:path';
import type { CatalogEntry } from './catalog-entry';
import { CURATED_MODELS } from './curated-models';

/** Every curated model, in display order (smallest useful first within each family). */
export function listCatalog(): readonly CatalogEntry[] {
  return CURATED_MODELS;
}

/** The entry with this id (case-insensitive), or undefined. */
export function findCatalogEntry(id: string): CatalogEntry | undefined {
  const key = id.toLowerCase();
  return CURATED_MODELS.find((m) => m.id === key);
}

/** The folder GGUF files are kept in: `<dataDir>/models`. */
export function modelsDirFor(dataDir: string): string {
  return path.join(dataDir, 'models');
}

/** One line telling the user whether a file will be checked, for CLI and UI. */
export function describeVerification(entry: Pick<CatalogEntry, 'sha256' | 'checksumNote'>): string {
  return entry.sha256 ? `verified against SHA-256 ${entry.sha256.slice(0, 12)}…` : `UNVERIFIED: ${entry.checksumNote}`;
}
