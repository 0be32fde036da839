export { openStore, DB_FILE, type Store, type OpenStoreOptions } from './open-store';
export { resolveDataDir } from './data-dir';
export { StoreError, type StoreErrorCode } from './errors';
export { migrations, type Migration } from './migrations';
export { newId } from './ids';
