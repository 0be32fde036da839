import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GgmlType, readGgufInfo, writeGguf, type GgufWriteKv, type GgufWriteTensor } from '../gguf';
import { readLlama2cCheckpoint, type Llama2cBlock, type Llama2cConfig } from './checkpoint';
import { readLlama2cTokenizer } from './tokenizer';

/** Paths for `convertLlama2cToGguf`. */
export interface ConvertLlama2cOptions {
  /** llama2.c checkpoint (`*.bin`: legacy run.c format or export.py version 1). */
  checkpoint: string;
  /** llama2.c tokenizer (`tokenizer.bin` / `tok512.bin`). */
  tokenizer: string;
  /** Destination `.gguf`; written to a temporary name first and renamed, so it is never half-written. */
  output: string;
  /** `general.name` (default: checkpoint file name without extension). */
  name?: string;
}

export interface ConvertLlama2cResult {
  output: string;
  config: Llama2cConfig;
  bytes: number;
}

/**
 * Converts a llama2.c checkpoint and tokenizer into an F32 GGUF for llama.cpp's `llama` architecture.
 *
 * No RoPE permutation of Q/K is applied: llama2.c rotates adjacent pairs, like llama.cpp's "normal"
 * RoPE for `llama`. (The permutation in llama.cpp's HF converter undoes HF's rotate-half layout, which
 * llama2.c checkpoints never had.) Verified by greedy decoding matching llama2.c's reference output.
 * @throws LlmError `model_missing` / `invalid_model` for a missing, truncated or foreign input file.
 */
export async function convertLlama2cToGguf(options: ConvertLlama2cOptions): Promise<ConvertLlama2cResult> {
  const { config, layout } = await readLlama2cCheckpoint(options.checkpoint);
  const vocab = await readLlama2cTokenizer(options.tokenizer, config.vocabSize);
  const { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize } = config;
  const headSize = dim / nHeads;
  const kvDim = headSize * nKvHeads;

  const metadata: GgufWriteKv[] = [
    { key: 'general.architecture', type: 'string', value: 'llama' },
    {
      key: 'general.name',
      type: 'string',
      value: options.name ?? basename(options.checkpoint).replace(/\.[^.]*$/, ''),
    },
    { key: 'general.file_type', type: 'u32', value: 0 }, // ALL_F32
    { key: 'llama.context_length', type: 'u32', value: config.seqLen },
    { key: 'llama.embedding_length', type: 'u32', value: dim },
    { key: 'llama.block_count', type: 'u32', value: nLayers },
    { key: 'llama.feed_forward_length', type: 'u32', value: hiddenDim },
    { key: 'llama.rope.dimension_count', type: 'u32', value: headSize },
    { key: 'llama.attention.head_count', type: 'u32', value: nHeads },
    { key: 'llama.attention.head_count_kv', type: 'u32', value: nKvHeads },
    // llama2.c's rmsnorm hard-codes 1e-5.
    { key: 'llama.attention.layer_norm_rms_epsilon', type: 'f32', value: 1e-5 },
    { key: 'tokenizer.ggml.model', type: 'string', value: 'llama' },
    { key: 'tokenizer.ggml.tokens', type: 'string[]', value: vocab.tokens },
    { key: 'tokenizer.ggml.scores', type: 'f32[]', value: vocab.scores },
    { key: 'tokenizer.ggml.token_type', type: 'i32[]', value: vocab.types },
    { key: 'tokenizer.ggml.unknown_token_id', type: 'u32', value: vocab.unkId },
    { key: 'tokenizer.ggml.bos_token_id', type: 'u32', value: vocab.bosId },
    { key: 'tokenizer.ggml.eos_token_id', type: 'u32', value: vocab.eosId },
  ];

  const source = await open(options.checkpoint, 'r');
  // Hidden (dot) and not ending in .gguf: no listing shows a half-written model.
  const tmp = join(dirname(options.output), `.${basename(options.output)}.tmp-${process.pid}-${Date.now()}`);
  try {
    /** Tensor backed by `floats` floats of `block`, starting `skip` floats in (a layer's slice). */
    const tensor = (name: string, dims: number[], block: Llama2cBlock, skip = 0): GgufWriteTensor => ({
      name,
      dims,
      type: GgmlType.F32,
      read: async () => {
        const bytes = Buffer.alloc(dims.reduce((a, b) => a * b, 1) * 4);
        await source.read(bytes, 0, bytes.length, block.offset + skip * 4);
        return bytes;
      },
    });
    // llama2.c matrices are row-major [out][in]; ggml lists the contiguous (in) dimension first.
    const tensors: GgufWriteTensor[] = [tensor('token_embd.weight', [dim, vocabSize], layout.tokenEmbedding)];
    for (let l = 0; l < nLayers; l++) {
      const blk = `blk.${l}`;
      tensors.push(
        tensor(`${blk}.attn_norm.weight`, [dim], layout.rmsAtt, l * dim),
        tensor(`${blk}.attn_q.weight`, [dim, dim], layout.wq, l * dim * dim),
        tensor(`${blk}.attn_k.weight`, [dim, kvDim], layout.wk, l * dim * kvDim),
        tensor(`${blk}.attn_v.weight`, [dim, kvDim], layout.wv, l * dim * kvDim),
        tensor(`${blk}.attn_output.weight`, [dim, dim], layout.wo, l * dim * dim),
        tensor(`${blk}.ffn_norm.weight`, [dim], layout.rmsFfn, l * dim),
        tensor(`${blk}.ffn_gate.weight`, [dim, hiddenDim], layout.w1, l * hiddenDim * dim),
        tensor(`${blk}.ffn_down.weight`, [hiddenDim, dim], layout.w2, l * dim * hiddenDim),
        tensor(`${blk}.ffn_up.weight`, [dim, hiddenDim], layout.w3, l * hiddenDim * dim),
      );
    }
    tensors.push(
      tensor('output_norm.weight', [dim], layout.rmsFinal),
      // Shared classifier: llama.cpp can tie output to token_embd, but an explicit copy works on
      // every llama.cpp version and costs only vocab × dim floats.
      tensor('output.weight', [dim, vocabSize], layout.wcls ?? layout.tokenEmbedding),
    );
    const bytes = await writeGguf(tmp, metadata, tensors);
    await readGgufInfo(tmp); // self-check: the reader accepts what the writer produced
    await rename(tmp, options.output);
    return { output: options.output, config, bytes };
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    await source.close();
  }
}
