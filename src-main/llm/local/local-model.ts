import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import { LlmError } from '../errors';
import type { GgufInfo } from '../gguf';
import { SequencePool } from './sequence-pool';

/** How a model's context is sized when loaded. */
export interface LocalModelOptions {
  /** Tokens per sequence (capped at the model's training context). */
  contextSize: number;
  /** Sequences in the context = authors whose KV cache is kept at once. */
  sequences: number;
  /** CPU threads for evaluation. */
  threads: number;
  /** Tokens per evaluation batch (node-llama-cpp's default when absent: min(512, total context)). */
  batchSize?: number;
}

/**
 * A loaded GGUF model, its one context, and the per-author sequence pool over that context.
 * Owns the native objects: `dispose()` frees the context and the model.
 */
export class LocalModel {
  private chatWrapper: ChatWrapper | undefined;

  private constructor(
    readonly id: string,
    readonly info: GgufInfo,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly pool: SequencePool<LlamaContextSequence>,
    private readonly resolveChatWrapper: () => ChatWrapper,
  ) {}

  /**
   * Loads a model whose header `readGgufInfo` already validated.
   * @throws LlmError `invalid_model` when llama.cpp rejects it, `internal` when memory is short.
   */
  static async load(llama: Llama, id: string, info: GgufInfo, options: LocalModelOptions): Promise<LocalModel> {
    const path = info.path;
    // Loaded lazily (like getLlama in the provider): importing node-llama-cpp takes seconds, and
    // everything that imports src-main/llm should not pay for it.
    const { resolveChatWrapper, InsufficientMemoryError } = await import('node-llama-cpp');
    // node-llama-cpp's own check throws InsufficientMemoryError; llama.cpp's failed allocations a plain Error.
    const isOutOfMemory = (e: unknown): boolean =>
      e instanceof InsufficientMemoryError || (e instanceof Error && /memory|alloc/i.test(e.message));
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path });
    } catch (cause) {
      // The header already validated, so a failure here is memory or an architecture llama.cpp lacks.
      if (isOutOfMemory(cause)) {
        throw new LlmError('internal', `Not enough memory to load the model: ${id}`, { path }, { cause });
      }
      throw new LlmError('invalid_model', `The model could not be loaded: ${id}`, { path }, { cause });
    }
    const contextSize = Math.min(options.contextSize, model.trainContextSize);
    // Each sequence owns contextSize KV cells; when memory is short, keep fewer authors cached
    // (halving down to one) rather than failing: the pool then evicts sooner.
    for (let sequences = Math.max(1, options.sequences); ; sequences = Math.floor(sequences / 2)) {
      try {
        const context = await model.createContext({
          contextSize,
          sequences,
          threads: options.threads,
          ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
        });
        const pool = new SequencePool<LlamaContextSequence>({
          create: () => (context.sequencesLeft > 0 ? context.getSequence() : undefined),
        });
        return new LocalModel(id, info, model, context, pool, () => resolveChatWrapper(model));
      } catch (cause) {
        const outOfMemory = isOutOfMemory(cause);
        if (outOfMemory && sequences > 1) continue;
        await model.dispose();
        const message = outOfMemory ? 'Not enough memory for a context of this model' : 'Could not create a context';
        throw new LlmError('internal', `${message}: ${id}`, { path, sequences, contextSize }, { cause });
      }
    }
  }

  /** The model's chat template (resolved on first use). */
  getChatWrapper(): ChatWrapper {
    this.chatWrapper ??= this.resolveChatWrapper();
    return this.chatWrapper;
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}
