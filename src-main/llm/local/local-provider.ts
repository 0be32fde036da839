import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Llama, LlamaContextSequence } from 'node-llama-cpp';
import { LlmError } from '../errors';
import { readGgufInfo } from '../gguf';
import type { GenerationPart, GenerationRequest, LlmProvider, ModelInfo } from '../provider';
import { decode } from './decode';
import { sharedLocalEngine, type LocalEngine } from './local-engine';
import { LocalModel } from './local-model';
import { tokenizeRequest } from './prompt';
import { scoreText, type ScoreTextOptions, type TextScore } from './score-text';
import type { SequenceLease } from './sequence-pool';

/** Options for `createLocalProvider`. */
export interface LocalProviderOptions {
  /** Folder holding `<model id>.gguf` files (ids may contain `/` for sub-folders). */
  modelsDir: string;
  /**
   * CPU threads per evaluation. Default: the engine's `maxThreads`, half the logical cores (about the
   * physical cores), at least 1.
   * llama.cpp's worker threads spin while waiting; more threads than free cores collapses throughput
   * (measured on a shared 2-core box with stories260K: 1 thread ~1800 tok/s, 2 threads ~8 tok/s).
   */
  threads?: number;
  /** Tokens per author sequence (default 4096, capped at each model's training context). */
  contextSize?: number;
  /** Author sequences kept per model; the least recently used is evicted beyond this (default 4). */
  sequences?: number;
  /**
   * Prompt tokens evaluated per native call (default: node-llama-cpp's, min(512, total context)).
   * Abort is checked between batches, so smaller batches stop a long prefill sooner.
   */
  batchSize?: number;
  /** Models kept loaded; the least recently used idle one is unloaded beyond this (default 1). */
  maxLoadedModels?: number;
  /** The engine root models are loaded under (default: this process's, `sharedLocalEngine()`). */
  engine?: LocalEngine;
  /** A ready `Llama` instead of the engine's (tests share one); the caller disposes it. */
  llama?: Llama;
}

const ANONYMOUS = '';

/** A loaded (or loading) model and how many generations use it. */
interface ModelSlot {
  model: Promise<LocalModel>;
  active: number;
  lastUsed: number;
}

/**
 * The in-process llama.cpp engine. In-process is fine for the UI: node-llama-cpp runs evaluation on
 * native threads (N-API async workers), so the JS thread only handles one small callback per token.
 * Measured (bench/llm-local.ts, `llm.event_loop_max_delay`, shared 2-core box): the worst stall
 * while decoding or running a 220–330 ms prefill was 5–30 ms (idle loop: 2–23 ms), far from the
 * prefill's own length, which is what blocking compute would show. A worker thread would add a
 * message hop per token and a second copy of the binding for no gain.
 */
export class LocalProvider implements LlmProvider {
  readonly id = 'local';
  private llama: Promise<Llama> | undefined;
  private readonly engine: LocalEngine | undefined;
  private readonly models = new Map<string, ModelSlot>();
  private clock = 0;
  private disposed = false;
  private readonly threads: number;

  constructor(private readonly options: LocalProviderOptions) {
    if (options.llama) this.llama = Promise.resolve(options.llama);
    else this.engine = options.engine ?? sharedLocalEngine();
    this.threads = Math.max(1, Math.floor(options.threads ?? this.engine?.maxThreads ?? 1));
  }

  /**
   * Streams one generation. `request.cacheKey` (default `authorId`) picks the KV-cache sequence: an author continuing a
   * text that extends what it evaluated last only evaluates the new tokens (see the finish part's
   * `cache`). Throws LlmError `model_missing`, `invalid_model`, `context_overflow` or `internal`.
   */
  async *generate(request: GenerationRequest, signal?: AbortSignal): AsyncGenerator<GenerationPart> {
    const startedAt = performance.now();
    // One generator level (no wrapper delegating with yield*): every level costs a hop per token.
    let slot: ModelSlot | undefined;
    let lease: SequenceLease<LlamaContextSequence> | undefined;
    try {
      if (this.disposed) throw new LlmError('internal', 'The local engine has been shut down');
      slot = await this.acquireModel(request.model);
      const local = await slot.model;
      const prompt = tokenizeRequest(local.model, request, () => local.getChatWrapper());
      try {
        lease = await local.pool.acquire(request.cacheKey ?? request.authorId ?? ANONYMOUS, signal);
      } catch (e) {
        if (!signal?.aborted) throw e;
        yield abortedBeforeStart(prompt.tokens.length, startedAt);
        return;
      }
      yield* decode({
        model: local.model,
        sequence: lease.sequence,
        promptTokens: prompt.tokens,
        templateStops: prompt.templateStops,
        settings: request,
        startedAt,
        ...(signal && { signal }),
      });
    } catch (e) {
      if (LlmError.isInstance(e)) throw e;
      throw new LlmError('internal', 'The local model failed', { model: request.model }, { cause: e });
    } finally {
      lease?.release();
      if (slot) {
        slot.active--;
        slot.lastUsed = ++this.clock;
      }
    }
  }

  /**
   * `scoreText` on this engine's copy of model `id` (loaded on first use, as for generation), so
   * LM-assisted detection does not load a second one. Scoring uses a reserved sequence of the
   * model's pool and leaves the authors' KV caches alone.
   * Throws LlmError `model_missing`, `invalid_model`, `aborted` or `internal`.
   */
  async scoreText(id: string, text: string, options: Omit<ScoreTextOptions, 'llama'> = {}): Promise<TextScore> {
    if (this.disposed) throw new LlmError('internal', 'The local engine has been shut down');
    const slot = await this.acquireModel(id);
    try {
      return await scoreText(await slot.model, text, options);
    } finally {
      slot.active--;
      slot.lastUsed = ++this.clock;
    }
  }

  /** GGUF files under `modelsDir` (two levels deep) that pass header validation; [] if it is absent. */
  async listModels(): Promise<ModelInfo[]> {
    const files = await findGgufFiles(this.options.modelsDir, 2);
    const out: ModelInfo[] = [];
    for (const file of files) {
      const info = await readGgufInfo(file).catch(() => undefined);
      if (!info) continue;
      const id = relative(this.options.modelsDir, file)
        .split(sep)
        .join('/')
        .replace(/\.gguf$/i, '');
      out.push({ id, ...(info.contextLength !== undefined && { contextLength: info.contextLength }) });
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * Drops cached KV state: one author's on one model, one author's everywhere, or everything.
   * Use under memory pressure or when an author's text was rewritten rather than extended.
   */
  async evict(authorId?: string, modelId?: string): Promise<void> {
    for (const [id, slot] of this.models) {
      if (modelId !== undefined && id !== modelId) continue;
      const local = await slot.model.catch(() => undefined);
      if (!local) continue;
      for (const key of authorId === undefined ? local.pool.keys() : [authorId]) await local.pool.evict(key);
    }
  }

  /** Author ids holding a sequence on a loaded model, least recently used first. */
  async cachedAuthors(modelId: string): Promise<string[]> {
    const local = await this.models.get(modelId)?.model.catch(() => undefined);
    return local ? local.pool.keys() : [];
  }

  /**
   * Loads model `id` now (as the first generation would), so a caller can refuse a file llama.cpp
   * cannot load before starting work. Throws LlmError `model_missing`, `invalid_model` or `internal`.
   */
  async load(id: string): Promise<void> {
    if (this.disposed) throw new LlmError('internal', 'The local engine has been shut down');
    const slot = await this.acquireModel(id);
    slot.active--;
  }

  /** Frees every model and gives the engine root back. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const models = [...this.models.values()];
    this.models.clear();
    await Promise.all(
      models.map((m) =>
        m.model.then(
          (l) => l.dispose(),
          () => undefined,
        ),
      ),
    );
    // Only a retain that succeeded is given back (a failed one holds nothing).
    const retained = await this.llama?.then(
      () => true,
      () => false,
    );
    if (this.engine && retained) await this.engine.release();
  }

  /** The engine's `Llama`, retained once on first use (a failed start is retried next time). */
  private getLlama(): Promise<Llama> {
    if (!this.llama) {
      const llama = this.engine!.retain();
      this.llama = llama;
      llama.catch(() => {
        if (this.llama === llama) this.llama = undefined;
      });
    }
    return this.llama;
  }

  private async acquireModel(id: string): Promise<ModelSlot> {
    let slot = this.models.get(id);
    if (!slot) {
      const path = this.modelPath(id);
      // Validate the header before starting llama.cpp: a missing or broken file fails fast and typed.
      const model = readGgufInfo(path).then(async (info) =>
        LocalModel.load(await this.getLlama(), id, info, {
          contextSize: this.options.contextSize ?? 4096,
          sequences: this.options.sequences ?? 4,
          threads: this.threads,
          ...(this.options.batchSize !== undefined && { batchSize: this.options.batchSize }),
        }),
      );
      slot = { model, active: 0, lastUsed: ++this.clock };
      this.models.set(id, slot);
      const created = slot;
      // A failed load is not cached: the file may be fixed or downloaded later.
      model.catch(() => this.models.get(id) === created && this.models.delete(id));
      await this.unloadIdleBeyondLimit(id);
    }
    slot.active++;
    slot.lastUsed = ++this.clock;
    try {
      await slot.model;
    } catch (e) {
      slot.active--;
      throw e;
    }
    return slot;
  }

  private async unloadIdleBeyondLimit(keep: string): Promise<void> {
    const limit = Math.max(1, this.options.maxLoadedModels ?? 1);
    const idle = [...this.models.entries()]
      .filter(([id, s]) => id !== keep && s.active === 0)
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    while (this.models.size > limit && idle.length > 0) {
      const [id, slot] = idle.shift()!;
      this.models.delete(id);
      await slot.model.then(
        (l) => l.dispose(),
        () => undefined,
      );
    }
  }

  /** `<modelsDir>/<id>.gguf`, refusing ids that escape `modelsDir`. */
  private modelPath(id: string): string {
    const root = resolve(this.options.modelsDir);
    const path = resolve(root, id.toLowerCase().endsWith('.gguf') ? id : `${id}.gguf`);
    if (!path.startsWith(root + sep)) throw new LlmError('model_missing', `Unknown local model: ${id}`, { model: id });
    return path;
  }
}

/** Creates the local engine; loading happens on first use. See `LocalProviderOptions`. */
export function createLocalProvider(options: LocalProviderOptions): LocalProvider {
  return new LocalProvider(options);
}

function abortedBeforeStart(promptTokens: number, startedAt: number): GenerationPart {
  const totalMs = performance.now() - startedAt;
  return {
    type: 'finish',
    reason: 'abort',
    usage: { promptTokens, completionTokens: 0 },
    timings: { timeToFirstTokenMs: totalMs, tokensPerSecond: 0, totalMs },
    cache: { reusedTokens: 0, evaluatedTokens: 0 },
  };
}

async function findGgufFiles(dir: string, depth: number): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isFile() && e.name.toLowerCase().endsWith('.gguf')) out.push(path);
    else if (e.isDirectory() && depth > 1) out.push(...(await findGgufFiles(path, depth - 1)));
  }
  return out;
}
