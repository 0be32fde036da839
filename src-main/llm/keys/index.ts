/** API keys: a SecretStore interface, the 0600-file implementation, and redaction helpers. */
export { maskSecret, redactSecrets, type SecretCipher, type SecretStore } from './secret-store';
export { FileSecretStore, openFileSecretStore, SECRETS_FILE, type FileSecretStoreOptions } from './file-secret-store';
