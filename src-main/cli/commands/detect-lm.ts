/**
 * `palimpsest detect --lm-model PATH.gguf`: the optional, experimental LM-assisted mode. Loads the GGUF
 * once per run and, for each document the shipped detector did not abstain on, scores it with
 * `scoreText` and folds the features in with `combineWithLm`. Weights are not validated on real LLM
 * text: see models/detect/MODEL_CARD.md, "LM-assisted mode".
 *
 * Imported lazily by detect.ts (with node-llama-cpp behind it), so a plain `detect` never loads it.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { combineWithLm, lmFeatures, type DetectionResult, type LmAssistedResult } from '../../detection';
import { LlmError } from '../../llm/errors';
import { readGgufInfo } from '../../llm/gguf';
import { LocalModel } from '../../llm/local/local-model';
import { scoreText } from '../../llm/local/score-text';

/** Text tokens scored per document (scoreText's default). */
const MAX_TOKENS = 512;

/** A document's result in LM-assisted mode: combined, or the detector's own result with why the LM was not used. */
export type LmResult = LmAssistedResult | (DetectionResult & { lm_assisted: false; lm_error?: string });

export interface LmAssist {
  /** Model file name, for the summary. */
  readonly label: string;
  readonly weight: number | undefined;
  /** Scores `text` and combines; abstained results are not scored. Never throws for one document. */
  assist(result: DetectionResult, text: string): Promise<LmResult>;
  dispose(): Promise<void>;
}

/**
 * Validates the GGUF header and loads the model (one context, one sequence) before any detection.
 * @throws LlmError `model_missing` / `invalid_model` (one readable line in `userMessage`).
 */
export async function openLmAssist(modelPath: string, weight: number | undefined): Promise<LmAssist> {
  const info = await readGgufInfo(modelPath).catch((e: unknown) => {
    throw withFlag(e);
  });
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  // As LocalProvider: about the physical cores (llama.cpp threads spin; more than free cores collapses throughput).
  const threads = Math.max(1, Math.floor(availableParallelism() / 2));
  const llama: Llama = await getLlama({
    gpu: false,
    build: 'never',
    logLevel: LlamaLogLevel.warn,
    maxThreads: threads,
  });
  let local: LocalModel;
  try {
    // BOS + text + the cell node-llama-cpp keeps free; capped at the training context by LocalModel.
    local = await LocalModel.load(llama, path.basename(modelPath), info, {
      contextSize: MAX_TOKENS + 2,
      sequences: 1,
      threads,
    });
  } catch (e) {
    await llama.dispose();
    throw withFlag(e);
  }
  return {
    label: path.basename(modelPath),
    weight,
    async assist(result, text) {
      if (result.abstained) return { ...result, lm_assisted: false };
      try {
        const score = await scoreText(local, text, { maxTokens: MAX_TOKENS });
        return combineWithLm(result, lmFeatures(score), { weight });
      } catch (e) {
        const message = LlmError.isInstance(e) ? e.userMessage : String((e as Error)?.message ?? e);
        return { ...result, lm_assisted: false, lm_error: message };
      }
    },
    async dispose() {
      await local.dispose();
      await llama.dispose();
    },
  };
}

/** Says which option the error is about (the CLI prints `userMessage` as its one line). */
function withFlag(e: unknown): unknown {
  return LlmError.isInstance(e) ? new LlmError(e.code, `--lm-model: ${e.userMessage}`, e.details, { cause: e }) : e;
}
