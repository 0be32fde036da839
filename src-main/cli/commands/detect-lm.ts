/**
 * `palimpsest detect --lm-model PATH.gguf`: the optional, experimental LM-assisted mode. Loads the GGUF
 * once per run and, for each document the shipped detector did not abstain on, scores it with
 * `scoreText` and folds the features in with `combineWithLm`. Weights are not validated on real LLM
 * text: see models/detect/MODEL_CARD.md, "LM-assisted mode".
 *
 * Imported lazily by detect.ts (with node-llama-cpp behind it), so a plain `detect` never loads it.
 */
import path from 'node:path';
import {
  combineWithLm,
  countParameters,
  judgeLmGate,
  lmFeatures,
  perplexityOf,
  REFERENCE_TEXT,
  type DetectionResult,
  type LmAssistedResult,
} from '../../detection';
import { LlmError } from '../../llm/errors';
import { readGgufInfo } from '../../llm/gguf';

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
 * Validates the GGUF header and loads the model before any detection, on the local engine the LLM
 * service uses (a `LocalProvider` over the file's folder, under this process's one engine root),
 * so this command never starts a second llama.cpp.
 * @throws LlmError `model_missing` / `invalid_model` (one readable line in `userMessage`).
 */
export async function openLmAssist(modelPath: string, weight: number | undefined): Promise<LmAssist> {
  const file = path.resolve(modelPath);
  const info = await readGgufInfo(file).catch((e: unknown) => {
    throw withFlag(e);
  });
  // The sanity gate (detection/common/lm-gate.ts), as in the app: a model too small to judge
  // English is refused before anything loads; perplexity on the reference text is checked next.
  const parameters = countParameters(info.tensors);
  const bySize = judgeLmGate({ parameters, referencePerplexity: 1 });
  if (!bySize.usable) throw new LlmError('invalid_model', `--lm-model: ${bySize.reason}`, { path: file });
  // The engine loads models by `<id>.gguf` in a folder.
  if (!/\.gguf$/i.test(file))
    throw new LlmError('invalid_model', `--lm-model: ${path.basename(file)} must be named *.gguf.`, { path: file });
  const { createLocalProvider } = await import('../../llm/local');
  // BOS + text + the cell node-llama-cpp keeps free; capped at the training context by LocalModel.
  const engine = createLocalProvider({ modelsDir: path.dirname(file), contextSize: MAX_TOKENS + 2, sequences: 1 });
  const id = path.basename(file);
  try {
    await engine.load(id);
  } catch (e) {
    await engine.dispose();
    throw withFlag(e);
  }
  const reference = await engine.scoreText(id, REFERENCE_TEXT, { maxTokens: MAX_TOKENS }).catch(() => null);
  const gate = judgeLmGate({ parameters, referencePerplexity: reference ? perplexityOf(reference.logprobs) : null });
  if (!gate.usable) {
    await engine.dispose();
    throw new LlmError('invalid_model', `--lm-model: ${gate.reason}`, { path: file });
  }
  return {
    label: path.basename(file),
    weight,
    async assist(result, text) {
      if (result.abstained) return { ...result, lm_assisted: false };
      try {
        const score = await engine.scoreText(id, text, { maxTokens: MAX_TOKENS });
        return combineWithLm(result, lmFeatures(score), { weight });
      } catch (e) {
        const message = LlmError.isInstance(e) ? e.userMessage : String((e as Error)?.message ?? e);
        return { ...result, lm_assisted: false, lm_error: message };
      }
    },
    dispose: () => engine.dispose(),
  };
}

/** Says which option the error is about (the CLI prints `userMessage` as its one line). */
function withFlag(e: unknown): unknown {
  return LlmError.isInstance(e) ? new LlmError(e.code, `--lm-model: ${e.userMessage}`, e.details, { cause: e }) : e;
}
