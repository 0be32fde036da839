import path from 'node:path';
import type Database from 'better-sqlite3';
import { AppError, notFound } from '../../core/app-error';
import type { JobRecord, JobRunner } from '../../jobs';
import { isJobActive } from '../../jobs/common/job-status';
import {
  AuthorService,
  GenerationLog,
  generateWithAuthor,
  type Author,
  type CreateModelAuthorInput,
  type GenerationRecord,
  type UpdateModelAuthorInput,
} from '../../authorship';
import { EndpointRegistry, ProviderResolver, type Endpoint, type ProviderRef } from '../endpoints';
import { checkedBaseUrl } from '../endpoints/base-url';
import { endpointRef, parseProviderRef } from '../common/provider-ref';
import { findCatalogEntry, listCatalog, modelsDirFor } from '../catalog/catalog';
import { checkMemoryFit } from '../catalog/memory-estimate';
import { enqueueCatalogDownload, MODEL_DOWNLOAD_JOB, type ModelDownloadPayload } from '../download/model-download-job';
import { LlmError } from '../errors';
import { sharedLocalEngine, type LocalEngine } from '../local/local-engine';
import type { LocalProvider } from '../local/local-provider';
import type { ScoreTextOptions, TextScore } from '../local/score-text';
import { redactSecrets, type SecretStore } from '../keys/secret-store';
import { detectOllama, type OllamaProbe } from '../openai/ollama';
import { OpenAiCompatibleProvider } from '../openai/openai-compatible-provider';
import type { ChatMessage, GenerationPart, LlmProvider } from '../provider';
import { generateDirect } from './generate-direct';
import type {
  CatalogModelInfo,
  EndpointInfo,
  EndpointInput,
  EndpointPatch,
  GenerateInput,
  ImportModelInput,
  InstalledModelInfo,
  ProviderHealth,
  UrlDownloadInput,
} from './llm-service-types';
import { ModelLibrary } from './model-library';
import { exists } from './model-files';
import { importModelFile } from './model-import';
import { toAppError } from './to-app-error';

export interface LlmServiceOptions {
  db: Database.Database;
  dataDir: string;
  jobs: JobRunner;
  /** Where endpoint keys live (the Electron shell passes a safeStorage-backed one). */
  secrets: SecretStore;
  /**
   * Creates the local engine. Default: node-llama-cpp's provider over `<dataDir>/models`,
   * imported on first use so nothing native loads until a local model is asked for.
   */
  createLocal?: (modelsDir: string) => Promise<LlmProvider>;
  /** The local engine root models load under (default: this process's, `sharedLocalEngine()`). */
  engine?: LocalEngine;
  /** Ollama probe address (default `OLLAMA_HOST` or 127.0.0.1:11434); `false` turns detection off. */
  ollama?: { url?: string } | false;
  /** ms a health probe or connection test may take (default 5000). */
  probeTimeoutMs?: number;
}

/**
 * The app-level LLM capability: owns the providers (local engine, Ollama, configured endpoints),
 * the models folder (list, import, delete, catalog downloads), endpoints, model authors, and
 * generation with provenance. Cheap to construct: providers are created on first use.
 * Every method throws AppError (LLM failures mapped by `toAppError`, code in `details.llmCode`).
 */
export class LlmService {
  readonly modelsDir: string;
  /**
   * The local engine's root (one `Llama` per process): generation, LM-assisted scoring and the CLI's
   * `detect --lm-model` all load models under it. Retained on the first local call, released by `dispose`.
   */
  readonly engine: LocalEngine;
  /** The one list of installed models (the UI, the CLI, the catalog and the engine share its ids). */
  readonly library: ModelLibrary;
  readonly authors: AuthorService;
  readonly generations: GenerationLog;
  readonly endpoints: EndpointRegistry;
  private readonly providers: ProviderResolver;
  private disposed = false;

  constructor(private readonly options: LlmServiceOptions) {
    this.modelsDir = modelsDirFor(options.dataDir);
    this.engine = options.engine ?? sharedLocalEngine();
    this.library = new ModelLibrary(options.db, this.modelsDir);
    this.authors = new AuthorService(options.db);
    this.generations = new GenerationLog(options.db);
    this.endpoints = new EndpointRegistry(options.db, options.secrets);
    const createLocal = options.createLocal ?? ((modelsDir: string) => defaultLocal(modelsDir, this.engine));
    this.providers = new ProviderResolver({ endpoints: this.endpoints, local: () => createLocal(this.modelsDir) });
  }

  // ---- providers -------------------------------------------------------------------------------

  /** Probes every provider in parallel: the local engine, Ollama (when running) and each endpoint. */
  async health(): Promise<ProviderHealth[]> {
    const t0 = performance.now();
    const local = this.listInstalled().then((models): ProviderHealth => ({
      ref: 'local',
      name: 'Local engine (llama.cpp)',
      kind: 'local',
      location: this.modelsDir,
      reachable: true,
      latencyMs: Math.round(performance.now() - t0),
      models: models
        .filter((m) => !m.error)
        .map((m) => ({ id: m.id, ...(m.contextLength ? { contextLength: m.contextLength } : {}) })),
    }));
    const ollama =
      this.options.ollama === false
        ? Promise.resolve(undefined)
        : this.probeOllama().then((probe): ProviderHealth => ({
            ref: 'ollama',
            name: 'Ollama',
            kind: 'ollama',
            location: probe.url,
            reachable: probe.available,
            latencyMs: probe.available ? Math.round(performance.now() - t0) : null,
            models: probe.models.map((m) => ({
              id: m.id,
              ...(m.contextLength ? { contextLength: m.contextLength } : {}),
            })),
            ...(probe.available ? {} : { error: 'Not running. Start Ollama to write with its models.' }),
          }));
    const remote = this.endpoints.list().map((ep) => this.probe(ep));
    const all = await Promise.all([local, ollama, ...remote]);
    return all.filter((h): h is ProviderHealth => h !== undefined);
  }

  /**
   * Looks for Ollama at its configured address (default `OLLAMA_HOST` or 127.0.0.1:11434) for up to
   * 800 ms. Never throws: a missing Ollama is `available: false`; with detection turned off, too.
   */
  async probeOllama(): Promise<OllamaProbe> {
    const url = this.options.ollama === false ? undefined : this.options.ollama?.url;
    if (this.options.ollama === false) return { url: url ?? '', available: false, models: [] };
    return detectOllama({ ...(url ? { url } : {}), timeoutMs: 800 });
  }

  /** Lists models of a saved endpoint (`{ id }`) or of unsaved values, measuring latency. */
  async testEndpoint(target: { id: string } | { baseUrl: string; apiKey?: string }): Promise<ProviderHealth> {
    if ('id' in target) return this.probe(this.endpoints.get(target.id));
    const baseUrl = checkedBaseUrl(target.baseUrl);
    const provider = new OpenAiCompatibleProvider({
      baseUrl,
      ...(target.apiKey ? { apiKey: target.apiKey } : {}),
      retry: { maxRetries: 0 },
    });
    try {
      return await this.measure(
        provider,
        { ref: 'endpoint:new', name: baseUrl, kind: 'endpoint', location: baseUrl },
        target.apiKey ? [target.apiKey] : [],
      );
    } finally {
      await provider.dispose();
    }
  }

  private async probe(ep: Endpoint): Promise<ProviderHealth> {
    const base = { ref: `endpoint:${ep.id}`, name: ep.name, kind: 'endpoint' as const, location: ep.baseUrl };
    try {
      const provider = await this.providers.resolve(base.ref);
      const key = await this.endpoints.key(ep).catch(() => undefined);
      return await this.measure(provider, base, key ? [key] : []);
    } catch (e) {
      return { ...base, reachable: false, latencyMs: null, models: [], error: errorText(e, []) };
    }
  }

  private async measure(
    provider: LlmProvider,
    base: Omit<ProviderHealth, 'reachable' | 'latencyMs' | 'models'>,
    secrets: string[],
  ): Promise<ProviderHealth> {
    const t0 = performance.now();
    try {
      const models = await provider.listModels(AbortSignal.timeout(this.options.probeTimeoutMs ?? 5000));
      return { ...base, reachable: true, latencyMs: Math.round(performance.now() - t0), models };
    } catch (e) {
      return { ...base, reachable: false, latencyMs: null, models: [], error: errorText(e, secrets) };
    }
  }

  // ---- endpoints -------------------------------------------------------------------------------

  /** Saved endpoints; keys are never included (only `hasKey`). */
  listEndpoints(): EndpointInfo[] {
    return this.endpoints.list().map(toEndpointInfo);
  }

  /** Saves an endpoint; its key goes to the SecretStore. Throws AppError `bad_request` (bad URL) or `conflict` (name taken). */
  async addEndpoint(input: EndpointInput): Promise<EndpointInfo> {
    if (!input.name.trim()) throw new AppError('bad_request', 'An endpoint needs a name.');
    const ep = await this.endpoints.add({
      name: input.name.trim(),
      baseUrl: input.baseUrl.trim(),
      ...(input.apiKey ? { apiKey: input.apiKey } : {}),
      pool: input.pool ?? null,
    });
    return toEndpointInfo(ep);
  }

  /** Renames, re-points or re-keys an endpoint; its cached provider (and pool) is rebuilt. */
  async updateEndpoint(id: string, patch: EndpointPatch): Promise<EndpointInfo> {
    const current = this.endpoints.get(id);
    if (patch.name !== undefined || patch.baseUrl !== undefined || patch.pool !== undefined) {
      this.endpoints.update(current.id, patch);
    }
    if (patch.apiKey !== undefined) await this.endpoints.setKey(current.id, patch.apiKey ?? undefined);
    await this.invalidateEndpoint(current);
    return toEndpointInfo(this.endpoints.get(current.id));
  }

  /** Deletes the endpoint and its stored key. Authors that used it fail with `not_found` until re-pointed. */
  async removeEndpoint(id: string): Promise<void> {
    const ep = this.endpoints.get(id);
    await this.endpoints.remove(ep.id);
    await this.invalidateEndpoint(ep);
  }

  private async invalidateEndpoint(ep: Endpoint): Promise<void> {
    await this.providers.invalidate(`endpoint:${ep.id}`);
    if (ep.pool) await this.providers.invalidate(`pool:${ep.pool}`);
  }

  // ---- models folder ---------------------------------------------------------------------------

  /** GGUF files in the models folder with what their headers say; broken files carry `error`. */
  listInstalled(): Promise<InstalledModelInfo[]> {
    return this.library.list();
  }

  /**
   * Adds a model file from this machine: a GGUF is validated and copied; a llama2.c checkpoint is
   * converted to GGUF with its tokenizer (found beside it unless given). A truncated or foreign
   * file is refused with AppError('bad_request') and nothing is left in the models folder.
   */
  async importModel(input: ImportModelInput): Promise<InstalledModelInfo> {
    try {
      const { file, sha256 } = await importModelFile(this.modelsDir, input);
      return await this.recordImport(file, sha256);
    } catch (e) {
      throw toAppError(e);
    }
  }

  private async recordImport(dest: string, sha256: string): Promise<InstalledModelInfo> {
    const found = await this.library.record(dest, { sha256, source: 'import', verified: false, catalogId: null });
    if (!found) throw new AppError('internal', 'The imported model disappeared from the models folder.');
    return found;
  }

  /** Deletes a model file (by its local id) and forgets it. Authors using it keep their settings. */
  async deleteModel(id: string): Promise<void> {
    await this.library.remove(id);
    // The engine may still hold the old file mapped: drop it, so a new file of the same name is loaded afresh.
    await this.providers.invalidate('local');
  }

  // ---- catalog and downloads -------------------------------------------------------------------

  /** Curated models with memory need vs free memory, checksum status and install/download state. */
  async catalog(): Promise<CatalogModelInfo[]> {
    const installed = await this.listInstalled();
    const active = this.activeDownloads();
    return listCatalog().map((e) => {
      const fit = checkMemoryFit(e);
      const file = installed.find((m) => m.fileName === e.fileName && !m.error);
      return {
        id: e.id,
        name: e.name,
        family: e.family,
        parameters: e.parameters,
        quantization: e.quantization,
        contextLength: e.contextLength,
        sizeBytes: e.sizeBytes,
        licence: e.licence,
        notes: e.notes,
        fileName: e.fileName,
        sizeIsExact: e.sizeIsExact,
        sha256: e.sha256,
        memory: { neededBytes: fit.neededBytes, freeBytes: fit.freeBytes, fits: fit.fits, tight: fit.tight },
        checksum: { verified: e.sha256 !== null, note: e.checksumNote },
        installedId: file?.id ?? null,
        downloadJobId: active.get(e.id)?.id ?? null,
      };
    });
  }

  /** Enqueues the `models.download` job for a catalog entry (or returns the one already running). */
  async startDownload(catalogId: string): Promise<JobRecord> {
    const entry = findCatalogEntry(catalogId);
    if (!entry) throw notFound('Catalog model', catalogId);
    const running = this.activeDownloads().get(entry.id);
    if (running) return running;
    if (await exists(path.join(this.modelsDir, entry.fileName)))
      throw new AppError('conflict', `${entry.name} is already installed.`, { id: entry.id });
    return enqueueCatalogDownload(this.options.jobs, entry);
  }

  /**
   * Enqueues the `models.download` job for a GGUF at `url` (no catalog entry), or returns the queued
   * or interrupted one for the same file, which then resumes from its partial file. Without `sha256`
   * the file is installed unverified. Throws AppError `bad_request` (not http(s), not a .gguf name)
   * or `conflict` (a model of that name is installed).
   */
  async startUrlDownload(input: UrlDownloadInput): Promise<JobRecord> {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new AppError('bad_request', `"${input.url}" is not a URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new AppError('bad_request', 'Only http:// and https:// downloads are supported.');
    const fileName = input.fileName ?? safeDecode(url.pathname.split('/').pop() ?? '');
    if (!/^[^/\\]+\.gguf$/i.test(fileName))
      throw new AppError('bad_request', `Only .gguf files can be downloaded; give a file name ending in .gguf.`);
    const running = this.options.jobs
      .list(200)
      .find(
        (j) =>
          j.kind === MODEL_DOWNLOAD_JOB &&
          isJobActive(j) &&
          (j.payload as ModelDownloadPayload | undefined)?.fileName === fileName,
      );
    if (running) return running;
    if (await exists(path.join(this.modelsDir, fileName)))
      throw new AppError('conflict', `A model named ${fileName} is already installed.`, { fileName });
    const payload: ModelDownloadPayload = {
      url: url.toString(),
      fileName,
      sha256: input.sha256?.toLowerCase() ?? null,
    };
    return this.options.jobs.enqueue(MODEL_DOWNLOAD_JOB, payload);
  }

  private activeDownloads(): Map<string, JobRecord> {
    const out = new Map<string, JobRecord>();
    for (const job of this.options.jobs.list(200)) {
      if (job.kind !== MODEL_DOWNLOAD_JOB || !isJobActive(job)) continue;
      const id = (job.payload as ModelDownloadPayload | undefined)?.catalogId;
      if (id && !out.has(id)) out.set(id, job);
    }
    return out;
  }

  // ---- authors ---------------------------------------------------------------------------------

  /** The human author first, then model authors by creation time. */
  listAuthors(): Author[] {
    return this.authors.list();
  }

  /** Creates a model author. Throws AppError `bad_request` for an unknown provider ref or a missing name/model. */
  createAuthor(input: CreateModelAuthorInput): Author {
    return this.authors.createModelAuthor({ ...input, provider: this.checkProviderRef(input.provider) });
  }

  /** Changes fields of an author; `sampling` replaces the whole set of defaults. */
  updateAuthor(id: string, patch: UpdateModelAuthorInput): Author {
    if (patch.provider !== undefined) patch = { ...patch, provider: this.checkProviderRef(patch.provider) };
    return this.authors.update(id, patch);
  }

  /** Throws AppError `conflict` for the human author or one whose text is in a document's history. */
  deleteAuthor(id: string): void {
    this.authors.delete(id);
  }

  /** Recent generations, newest first. */
  listGenerations(filter: { authorId?: string; limit?: number } = {}): GenerationRecord[] {
    return this.generations.list(filter);
  }

  /**
   * The live provider behind a ref (the local engine, Ollama, an endpoint, a pool), for capabilities
   * that stream through `generateWithAuthor` themselves and need its generation id (authoring
   * operations). Throws LlmError (`model_missing` for an unknown ref), AppError when shutting down.
   */
  async resolveProvider(ref: ProviderRef): Promise<LlmProvider> {
    if (this.disposed) throw new AppError('unavailable', 'Palimpsest is shutting down.');
    return this.providers.resolve(ref);
  }

  /** The ref as stored: `endpoint:<name>` becomes `endpoint:<id>`. Throws AppError `bad_request` for an unknown one. */
  private checkProviderRef(ref: string): ProviderRef {
    const parsed = parseProviderRef(ref);
    if (parsed?.kind === 'endpoint') {
      const key = parsed.id;
      const ep = this.endpoints.list().find((e) => e.id === key) ?? this.endpoints.list().find((e) => e.name === key);
      if (!ep) throw new AppError('bad_request', `There is no endpoint ${key}.`);
      return endpointRef(ep.id);
    }
    if (parsed) return ref;
    throw new AppError('bad_request', `Unknown provider "${ref}": use local, ollama, endpoint:<id> or pool:<name>.`);
  }

  // ---- scoring (LM-assisted detection) ---------------------------------------------------------

  /**
   * An installed local model by id, as `listInstalled` describes it.
   * @throws AppError not_found (no such model file), bad_request (its header failed validation).
   */
  async installedModel(id: string): Promise<InstalledModelInfo> {
    const model = (await this.listInstalled()).find((m) => m.id === id);
    if (!model) throw notFound('Local model', id);
    if (model.error) throw new AppError('bad_request', `The model ${id} cannot be used: ${model.error}`, { id });
    return model;
  }

  /**
   * Scores `text` under an installed local model, on the local engine's own loaded copy (loaded on
   * first use like for generation, freed with the engine): token log-probabilities and next-token
   * distribution statistics, for LM-assisted detection. Runs on llama.cpp's native threads. The
   * engine resolves the id itself (inside the models folder, header checked), so callers that need
   * the model's name or an early refusal call `installedModel` first; this does not list again.
   * @throws AppError not_found (no such model), bad_request (a file llama.cpp cannot load),
   * conflict (aborted), internal.
   */
  async scoreText(
    modelId: string,
    text: string,
    options: Pick<ScoreTextOptions, 'maxTokens' | 'signal'> = {},
  ): Promise<TextScore> {
    if (this.disposed) throw new AppError('unavailable', 'Palimpsest is shutting down.');
    try {
      const local = await this.providers.resolve('local');
      if (!canScore(local)) throw new AppError('unavailable', 'The local engine in this build cannot score texts.');
      return await local.scoreText(modelId, text, options);
    } catch (e) {
      throw toAppError(e);
    }
  }

  // ---- generation ------------------------------------------------------------------------------

  /**
   * Streams text parts then one finish part. With `authorId` the author's provider, model, sampling
   * and persona are used; otherwise `provider` + `model`. Every call is recorded in `generations`
   * however it ends. Aborting `signal` ends the stream with a finish part whose reason is `abort`.
   */
  async *generate(input: GenerateInput, signal?: AbortSignal): AsyncGenerator<GenerationPart> {
    if (this.disposed) throw new AppError('unavailable', 'Palimpsest is shutting down.');
    const prompt = input.messages ?? input.prompt ?? '';
    if (input.mode !== 'completion' && typeof prompt === 'string' && !prompt.trim()) {
      throw new AppError('bad_request', 'Write a prompt first (or continue text in completion mode).');
    }
    try {
      if (input.authorId) {
        yield* generateWithAuthor(
          { authors: this.authors, generations: this.generations, providers: this.providers },
          {
            authorId: input.authorId,
            prompt,
            ...(input.mode ? { mode: input.mode } : {}),
            ...(input.settings ? { settings: input.settings } : {}),
            ...(input.documentId ? { documentId: input.documentId } : {}),
            ...(signal ? { signal } : {}),
          },
        );
        return;
      }
      if (input.baseUrl && input.model) {
        yield* this.generateAdHoc({ ...input, baseUrl: input.baseUrl, model: input.model }, prompt, signal);
        return;
      }
      if (!input.provider || !input.model)
        throw new AppError('bad_request', 'Choose an author, or a provider and a model.');
      const provider = this.checkProviderRef(input.provider);
      // The library's id, also when the model is named by its file or catalog entry.
      const model = provider === 'local' ? ((await this.library.find(input.model))?.id ?? input.model) : input.model;
      yield* generateDirect(
        { generations: this.generations, providers: this.providers },
        {
          provider,
          model,
          prompt,
          ...(input.mode ? { mode: input.mode } : {}),
          ...(input.settings ? { settings: input.settings } : {}),
          ...(input.documentId ? { documentId: input.documentId } : {}),
        },
        signal,
      );
    } catch (e) {
      throw toAppError(e);
    }
  }

  /** `generate` on an unsaved OpenAI-compatible server, recorded under its base URL (which holds no key). */
  private async *generateAdHoc(
    input: GenerateInput & { baseUrl: string; model: string },
    prompt: string | ChatMessage[],
    signal: AbortSignal | undefined,
  ): AsyncGenerator<GenerationPart> {
    const baseUrl = checkedBaseUrl(input.baseUrl);
    const provider = new OpenAiCompatibleProvider({ baseUrl, ...(input.apiKey ? { apiKey: input.apiKey } : {}) });
    try {
      yield* generateDirect(
        { generations: this.generations, providers: { resolve: async () => provider } },
        {
          provider: baseUrl,
          model: input.model,
          prompt,
          ...(input.mode ? { mode: input.mode } : {}),
          ...(input.settings ? { settings: input.settings } : {}),
          ...(input.documentId ? { documentId: input.documentId } : {}),
        },
        signal,
      );
    } finally {
      await provider.dispose();
    }
  }

  /** Frees every provider (the local engine's models included). Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.providers.dispose();
  }
}

async function defaultLocal(modelsDir: string, engine: LocalEngine): Promise<LlmProvider> {
  // Dynamic: the engine's modules stay out of startup; node-llama-cpp itself loads on the first model.
  const { createLocalProvider } = await import('../local');
  return createLocalProvider({ modelsDir, engine });
}

/** The local engine scores texts; a stand-in given through `createLocal` may not. */
function canScore(p: LlmProvider): p is LlmProvider & Pick<LocalProvider, 'scoreText'> {
  return typeof (p as Partial<LocalProvider>).scoreText === 'function';
}

function toEndpointInfo(ep: Endpoint): EndpointInfo {
  return {
    id: ep.id,
    name: ep.name,
    baseUrl: ep.baseUrl,
    kind: ep.kind,
    pool: ep.pool,
    enabled: ep.enabled,
    hasKey: ep.keyRef !== null,
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function errorText(e: unknown, secrets: string[]): string {
  const msg =
    LlmError.isInstance(e) || AppError.isInstance(e) ? e.userMessage : e instanceof Error ? e.message : String(e);
  return redactSecrets(msg, secrets);
}
