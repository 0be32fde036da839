import { createHash } from 'node:crypto';
import type { GenerationLog } from '../../authorship/generation-log';
import type { ProviderRef } from '../endpoints';
import { LlmError } from '../errors';
import { resolveGenerationSettings } from '../generation-settings';
import type { ChatMessage, GenerationPart, GenerationRequest, GenerationSettings, LlmProvider } from '../provider';

export interface GenerateDirectInput {
  provider: ProviderRef;
  model: string;
  /** A chat user turn or completion text, or a whole conversation. */
  prompt: string | ChatMessage[];
  mode?: 'chat' | 'completion';
  settings?: GenerationSettings;
  documentId?: string;
}

/**
 * Streams a generation straight from a provider and model (no author: no persona, no sampling
 * defaults) and records it in `generations` with `author_id` NULL, however it ends.
 */
export async function* generateDirect(
  deps: { generations: GenerationLog; providers: { resolve(ref: ProviderRef): Promise<LlmProvider> } },
  input: GenerateDirectInput,
  signal?: AbortSignal,
): AsyncGenerator<GenerationPart> {
  const { model, prompt } = input;
  const settings = resolveGenerationSettings(input.settings ?? {});
  const request: GenerationRequest =
    input.mode === 'completion'
      ? {
          kind: 'completion',
          model,
          prompt: typeof prompt === 'string' ? prompt : prompt.map((m) => m.content).join('\n\n'),
          ...settings,
        }
      : {
          kind: 'chat',
          model,
          messages: typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt,
          ...settings,
        };
  const promptSha256 = createHash('sha256')
    .update(JSON.stringify(request.kind === 'chat' ? request.messages : request.prompt))
    .digest('hex');
  const t0 = performance.now();
  let finish: Extract<GenerationPart, { type: 'finish' }> | undefined;
  let errorCode: string | null = null;
  let parts = 0;
  try {
    const provider = await deps.providers.resolve(input.provider);
    for await (const part of provider.generate(request, signal)) {
      if (part.type === 'text') parts++;
      else finish = part;
      yield part;
    }
  } catch (e) {
    errorCode = LlmError.isInstance(e) ? e.code : 'internal';
    throw e;
  } finally {
    deps.generations.record({
      authorId: null,
      provider: input.provider,
      model,
      settings,
      promptSha256,
      promptTokens: finish?.usage.promptTokens ?? 0,
      completionTokens: finish?.usage.completionTokens ?? parts,
      ttftMs: finish?.timings.timeToFirstTokenMs ?? null,
      tokensPerSecond: finish?.timings.tokensPerSecond ?? null,
      totalMs: finish?.timings.totalMs ?? performance.now() - t0,
      // No finish part and no error: the consumer stopped reading (the Stop button).
      finishReason: errorCode ? 'error' : (finish?.reason ?? 'abort'),
      errorCode,
      documentId: input.documentId ?? null,
    });
  }
}
