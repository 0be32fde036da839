import { LlmError } from '../errors';
import { createOllamaProvider } from '../openai/ollama';
import { parseProviderRef } from '../common/provider-ref';
import { OpenAiCompatibleProvider } from '../openai/openai-compatible-provider';
import { PoolProvider } from '../pool/pool-provider';
import type { LlmProvider } from '../provider';
import type { Endpoint, ProviderRef } from './endpoint-types';
import type { EndpointRegistry } from './endpoint-registry';

export interface ProviderResolverOptions {
  endpoints: EndpointRegistry;
  /** Creates the bundled local engine's provider (another module owns it); `local` is unavailable without it. */
  local?: () => LlmProvider | Promise<LlmProvider>;
  /** Per-endpoint request settings (timeouts, concurrency) applied to every remote provider. */
  remoteDefaults?: {
    connectTimeoutMs?: number;
    answerTimeoutMs?: number;
    idleTimeoutMs?: number;
    maxConcurrent?: number;
  };
}

/**
 * Turns a ProviderRef (`local`, `ollama`, `endpoint:<id>`, `pool:<name>`) into a live provider,
 * created once and reused so its concurrency limit applies across authors. Keys are read from
 * the SecretStore per request, never cached here.
 */
export class ProviderResolver {
  private readonly cache = new Map<string, Promise<LlmProvider>>();

  constructor(private readonly options: ProviderResolverOptions) {}

  /** Throws LlmError('model_missing') for an unknown ref or endpoint. */
  resolve(ref: ProviderRef): Promise<LlmProvider> {
    let p = this.cache.get(ref);
    if (!p) {
      p = this.create(ref);
      this.cache.set(ref, p);
      p.catch(() => this.cache.delete(ref));
    }
    return p;
  }

  /** Drops a cached provider (after its endpoint changed); it is disposed. */
  async invalidate(ref: ProviderRef): Promise<void> {
    const p = this.cache.get(ref);
    this.cache.delete(ref);
    await p?.then((x) => x.dispose()).catch(() => {});
  }

  async dispose(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(all.map((p) => p.then((x) => x.dispose()).catch(() => {})));
  }

  private async create(ref: ProviderRef): Promise<LlmProvider> {
    if (ref === 'local') {
      if (!this.options.local)
        throw new LlmError('model_missing', 'The local engine is not available in this build.', { provider: ref });
      return this.options.local();
    }
    if (ref === 'ollama') return createOllamaProvider(this.options.remoteDefaults);
    const parsed = parseProviderRef(ref);
    if (parsed?.kind === 'endpoint') return this.remote(this.endpoint(parsed.id, ref), {});
    if (parsed?.kind === 'pool') {
      const name = parsed.name;
      const members = this.options.endpoints.poolMembers(name);
      if (members.length === 0)
        throw new LlmError('model_missing', `The pool "${name}" has no enabled endpoints.`, { provider: ref });
      // Members fail over instead of retrying themselves, so a dead endpoint costs one attempt.
      return new PoolProvider({
        id: ref,
        members: members.map((ep) => ({ id: ep.id, provider: this.remote(ep, { retry: { maxRetries: 0 } }) })),
        healthCheckIntervalMs: 30_000,
        memory: this.options.endpoints.poolMemory(name),
      });
    }
    throw new LlmError('model_missing', `Unknown provider "${ref}".`, { provider: ref });
  }

  private endpoint(idOrName: string, ref: string): Endpoint {
    try {
      return this.options.endpoints.get(idOrName);
    } catch {
      throw new LlmError('model_missing', `The endpoint "${idOrName}" no longer exists.`, { provider: ref });
    }
  }

  private remote(ep: Endpoint, extra: { retry?: { maxRetries: number } }): OpenAiCompatibleProvider {
    const registry = this.options.endpoints;
    return new OpenAiCompatibleProvider({
      id: `endpoint:${ep.id}`,
      baseUrl: ep.baseUrl,
      apiKey: () => registry.key(ep),
      ...(ep.kind === 'ollama' ? { connectTimeoutMs: 120_000 } : {}),
      ...this.options.remoteDefaults,
      ...extra,
    });
  }
}
