import type Database from 'better-sqlite3';
import { AppError, notFound } from '../../core/app-error';
import { newId } from '../../store/ids';
import type { SecretStore } from '../keys/secret-store';
import type { PoolMemory, PoolSnapshot } from '../pool/pool-provider';
import { checkedBaseUrl } from './base-url';
import type { Endpoint } from './endpoint-types';

interface EndpointRow {
  id: string;
  name: string;
  base_url: string;
  kind: Endpoint['kind'];
  key_ref: string | null;
  pool: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface AddEndpointInput {
  name: string;
  baseUrl: string;
  kind?: Endpoint['kind'];
  /** Stored in the SecretStore; only its ref reaches SQLite. */
  apiKey?: string;
  pool?: string | null;
}

/**
 * Remote endpoints. Keys go to the SecretStore under `endpoint:<id>`; the row keeps only that
 * ref, so a database copy or backup never contains a key.
 */
export class EndpointRegistry {
  constructor(
    private readonly db: Database.Database,
    /** Where keys live (a 0600 file in CLI/web mode, safeStorage in Electron). */
    readonly secrets: SecretStore,
  ) {}

  list(): Endpoint[] {
    return (this.db.prepare(`SELECT * FROM endpoints ORDER BY name`).all() as EndpointRow[]).map(toEndpoint);
  }

  /** By id or name; throws AppError('not_found'). */
  get(idOrName: string): Endpoint {
    const row = this.db.prepare(`SELECT * FROM endpoints WHERE id = ? OR name = ?`).get(idOrName, idOrName) as
      EndpointRow | undefined;
    if (!row) throw notFound('Endpoint', idOrName);
    return toEndpoint(row);
  }

  /** Enabled endpoints of a pool. */
  poolMembers(pool: string): Endpoint[] {
    return (
      this.db.prepare(`SELECT * FROM endpoints WHERE pool = ? AND enabled = 1 ORDER BY name`).all(pool) as EndpointRow[]
    ).map(toEndpoint);
  }

  /**
   * Where pool `pool` keeps whom to try next and who is down, in the `settings` table, so
   * one-shot CLI calls rotate through the members and skip one another process found dead.
   */
  poolMemory(pool: string): PoolMemory {
    const key = `llm.pool.${pool}`;
    return {
      read: () => {
        const row = this.db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as
          { value: string } | undefined;
        try {
          return row ? (JSON.parse(row.value) as PoolSnapshot) : undefined;
        } catch {
          return undefined;
        }
      },
      write: (snapshot) => {
        this.db
          .prepare(
            `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          )
          .run(key, JSON.stringify(snapshot));
      },
    };
  }

  async add(input: AddEndpointInput): Promise<Endpoint> {
    const baseUrl = checkedBaseUrl(input.baseUrl);
    const id = newId('ep');
    const keyRef = input.apiKey ? `endpoint:${id}` : null;
    // Key first: a row pointing at a missing key is worse than an orphan key.
    if (keyRef) await this.secrets.set(keyRef, input.apiKey!);
    const now = Date.now();
    try {
      this.db
        .prepare(
          `INSERT INTO endpoints (id, name, base_url, kind, key_ref, pool, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
        )
        .run(id, input.name, baseUrl, input.kind ?? guessKind(baseUrl), keyRef, input.pool ?? null, now, now);
    } catch (e) {
      if (keyRef) await this.secrets.delete(keyRef);
      throw nameConflict(e, input.name);
    }
    return this.get(id);
  }

  /** Renames, re-points or moves the endpoint to another pool ('' or null leaves every pool). */
  update(idOrName: string, patch: { name?: string; baseUrl?: string; pool?: string | null }): Endpoint {
    const ep = this.get(idOrName);
    const baseUrl = patch.baseUrl !== undefined ? checkedBaseUrl(patch.baseUrl.trim()) : ep.baseUrl;
    const name = patch.name?.trim() || ep.name;
    const pool = patch.pool !== undefined ? patch.pool || null : ep.pool;
    try {
      this.db
        .prepare(`UPDATE endpoints SET name = ?, base_url = ?, pool = ?, updated_at = ? WHERE id = ?`)
        .run(name, baseUrl, pool, Date.now(), ep.id);
    } catch (e) {
      throw nameConflict(e, name);
    }
    return this.get(ep.id);
  }

  /** Replaces (or with undefined, removes) the endpoint's key. */
  async setKey(idOrName: string, apiKey: string | undefined): Promise<Endpoint> {
    const ep = this.get(idOrName);
    const keyRef = `endpoint:${ep.id}`;
    if (apiKey) await this.secrets.set(keyRef, apiKey);
    else await this.secrets.delete(keyRef);
    this.db
      .prepare(`UPDATE endpoints SET key_ref = ?, updated_at = ? WHERE id = ?`)
      .run(apiKey ? keyRef : null, Date.now(), ep.id);
    return this.get(ep.id);
  }

  /** The endpoint's key (for building a provider); undefined when it has none. */
  async key(endpoint: Endpoint): Promise<string | undefined> {
    return endpoint.keyRef ? this.secrets.get(endpoint.keyRef) : undefined;
  }

  async remove(idOrName: string): Promise<void> {
    const ep = this.get(idOrName);
    this.db.prepare(`DELETE FROM endpoints WHERE id = ?`).run(ep.id);
    if (ep.keyRef) await this.secrets.delete(ep.keyRef);
  }
}

/** A unique-name violation as AppError('conflict'); anything else as it was. */
function nameConflict(e: unknown, name: string): unknown {
  return String((e as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')
    ? new AppError('conflict', `An endpoint named "${name}" already exists.`)
    : e;
}

function guessKind(baseUrl: string): Endpoint['kind'] {
  const u = new URL(baseUrl);
  if (/(^|\.)openai\.com$/.test(u.hostname)) return 'openai';
  if (u.port === '11434') return 'ollama';
  if (u.port === '1234') return 'lmstudio';
  return 'openai-compatible';
}

function toEndpoint(r: EndpointRow): Endpoint {
  return {
    id: r.id,
    name: r.name,
    baseUrl: r.base_url,
    kind: r.kind,
    keyRef: r.key_ref,
    pool: r.pool,
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
