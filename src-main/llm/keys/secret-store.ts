/**
 * Where API keys live. SQLite only ever holds a `key_ref` pointing in here, never the key.
 * The browser/CLI build uses a 0600 JSON file (`FileSecretStore`); the Electron shell passes a
 * `SecretCipher` over `safeStorage` so the same file holds OS-encrypted values instead.
 */
export interface SecretStore {
  /** The secret stored under `ref`, or undefined when there is none. */
  get(ref: string): Promise<string | undefined>;
  /** Stores (or replaces) the secret under `ref`. */
  set(ref: string, value: string): Promise<void>;
  /** Removes `ref`; resolves false when it did not exist. */
  delete(ref: string): Promise<boolean>;
  /** The refs held (never the values). */
  list(): Promise<string[]>;
}

/**
 * Encrypts values at rest. Shaped to wrap Electron's `safeStorage`:
 * `{ name: 'safeStorage', encrypt: (s) => safeStorage.encryptString(s), decrypt: (b) => safeStorage.decryptString(b) }`.
 */
export interface SecretCipher {
  /** Recorded in the file so a store written with one cipher is not read with another. */
  readonly name: string;
  encrypt(plain: string): Buffer | Promise<Buffer>;
  decrypt(data: Buffer): string | Promise<string>;
}

/** Shows enough of a key to recognise it: `sk-…Wxyz`. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '…';
  const prefix = /^[a-z]{2,6}-/i.exec(secret)?.[0] ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}

/**
 * Deep-copies `value` with every occurrence of the given secrets (and any `Bearer …` token or
 * `api_key=` parameter) replaced by `[redacted]`. Use on error details before logging or sending.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[] = []): T {
  const live = secrets.filter((s) => s.length >= 4);
  const scrub = (s: string): string => {
    let out = s;
    for (const secret of live) out = out.split(secret).join('[redacted]');
    return out
      .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]')
      .replace(/([?&](?:api[_-]?key|key|token)=)[^&\s]+/gi, '$1[redacted]');
  };
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (depth > 8 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] =
        /^(api[_-]?key|authorization|secret|password|token)$/i.test(k) && typeof x === 'string'
          ? '[redacted]'
          : walk(x, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as T;
}
