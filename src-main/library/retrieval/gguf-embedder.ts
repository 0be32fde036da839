import type { LocalEngine } from '../../llm/local/local-engine';

/** Turns texts into unit vectors of a fixed dimension. */
export interface Embedder {
  readonly modelId: string;
  readonly dims: number;
  embed(text: string): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Characters of a chunk given to the embedding model (small models have 512-token contexts). */
const MAX_EMBED_CHARS = 2000;

/**
 * A GGUF embedding model (bge-small, nomic-embed, …) on the local engine: node-llama-cpp's
 * embedding context, one thread (its default thread count is far slower on small machines).
 */
export async function openGgufEmbedder(engine: LocalEngine, modelId: string, modelPath: string): Promise<Embedder> {
  const llama = await engine.retain();
  try {
    const model = await llama.loadModel({ modelPath });
    const contextSize = Math.max(16, Math.min(2048, model.trainContextSize));
    const context = await model.createEmbeddingContext({ threads: 1, contextSize });
    const probe = await context.getEmbeddingFor('dimension probe');
    const dims = probe.vector.length;
    return {
      modelId,
      dims,
      async embed(text) {
        const tokens = model.tokenize(text.slice(0, MAX_EMBED_CHARS));
        const fit = tokens.slice(0, Math.max(1, contextSize - 2));
        const { vector } = await context.getEmbeddingFor(fit);
        return normalize(Float32Array.from(vector));
      },
      async dispose() {
        await context.dispose();
        await model.dispose();
        await engine.release();
      },
    };
  } catch (e) {
    await engine.release();
    throw e;
  }
}

function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}
