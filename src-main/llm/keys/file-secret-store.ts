import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretCipher, SecretStore } from './secret-store';

/** The file's name inside the data folder. */
export const SECRETS_FILE = 'secrets.json';

const FILE_MODE = 0o600;

interface SecretsFile {
  version: 1;
  /** `none` (plain text, protected by file mode only) or the cipher's name. */
  cipher: string;
  /** ref → value (plain) or base64 ciphertext. */
  secrets: Record<string, string>;
}

export interface FileSecretStoreOptions {
  /** Full path of the JSON file (see `openFileSecretStore` for the default in a data folder). */
  filePath: string;
  /** Encrypts values at rest (the Electron shell injects safeStorage); plain text when absent. */
  cipher?: SecretCipher;
}

/**
 * Secrets in one JSON file readable only by its owner (mode 0600, checked and repaired on open),
 * written atomically (temp file created 0600, then renamed) so a crash never leaves half a file.
 */
export class FileSecretStore implements SecretStore {
  readonly filePath: string;
  /** True when opening found the file readable by others and tightened it to 0600. */
  readonly repairedMode: boolean;
  private readonly cipher: SecretCipher | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(options: FileSecretStoreOptions) {
    this.filePath = path.resolve(options.filePath);
    this.cipher = options.cipher;
    this.repairedMode = ensurePrivateMode(this.filePath);
  }

  async get(ref: string): Promise<string | undefined> {
    await this.writes;
    const file = this.read();
    const stored = file.secrets[ref];
    if (stored === undefined) return undefined;
    if (!this.cipher) return stored;
    return this.cipher.decrypt(Buffer.from(stored, 'base64'));
  }

  set(ref: string, value: string): Promise<void> {
    if (!ref) throw new TypeError('A secret ref must not be empty');
    return this.mutate(async (file) => {
      file.secrets[ref] = this.cipher ? Buffer.from(await this.cipher.encrypt(value)).toString('base64') : value;
      return true;
    }).then(() => undefined);
  }

  delete(ref: string): Promise<boolean> {
    return this.mutate(async (file) => {
      if (!(ref in file.secrets)) return false;
      delete file.secrets[ref];
      return true;
    });
  }

  async list(): Promise<string[]> {
    await this.writes;
    return Object.keys(this.read().secrets).sort();
  }

  /** Serialises read-modify-write so two `set` calls cannot lose each other's key. */
  private mutate(change: (file: SecretsFile) => Promise<boolean>): Promise<boolean> {
    const run = this.writes.then(async () => {
      const file = this.read();
      const changed = await change(file);
      if (changed) this.write(file);
      return changed;
    });
    this.writes = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private read(): SecretsFile {
    let text: string;
    try {
      text = fs.readFileSync(this.filePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, cipher: this.cipherName, secrets: {} };
      throw e;
    }
    const file = JSON.parse(text) as SecretsFile;
    if (file.cipher !== this.cipherName && Object.keys(file.secrets ?? {}).length > 0) {
      throw new Error(
        `The key file ${this.filePath} was written with cipher "${file.cipher}" but is being read with "${this.cipherName}". ` +
          'Re-enter the API keys or open it from the app that wrote it.',
      );
    }
    return { version: 1, cipher: this.cipherName, secrets: { ...file.secrets } };
  }

  private write(file: SecretsFile): void {
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true });
    const tmp = `${this.filePath}.${randomUUID().slice(0, 8)}.tmp`;
    // `wx` + mode: the temp file is private from its first byte, never 0644 then chmod'ed.
    const fd = fs.openSync(tmp, 'wx', FILE_MODE);
    try {
      fs.writeFileSync(fd, `${JSON.stringify(file, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.filePath);
  }

  private get cipherName(): string {
    return this.cipher?.name ?? 'none';
  }
}

/** Opens `<dataDir>/secrets.json`. */
export function openFileSecretStore(dataDir: string, cipher?: SecretCipher): FileSecretStore {
  return new FileSecretStore({ filePath: path.join(dataDir, SECRETS_FILE), ...(cipher ? { cipher } : {}) });
}

/** Tightens an existing file to 0600; returns true if it had to. Windows has no such bits. */
function ensurePrivateMode(filePath: string): boolean {
  if (process.platform === 'win32') return false;
  let mode: number;
  try {
    mode = fs.statSync(filePath).mode & 0o777;
  } catch {
    return false;
  }
  if ((mode & 0o077) === 0) return false;
  fs.chmodSync(filePath, FILE_MODE);
  return true;
}
