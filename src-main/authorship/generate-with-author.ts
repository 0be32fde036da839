import { createHash } from 'node:crypto';
import type { ProviderRef } from '../llm/endpoints/endpoint-types';
import { LlmError } from '../llm/errors';
import { resolveGenerationSettings } from '../llm/generation-settings';
import type { ChatMessage, GenerationPart, GenerationRequest, GenerationSettings, LlmProvider } from '../llm/provider';
import type { AuthorService } from './author-service';
import type { GenerationLog } from './generation-log';

export interface GenerateWithAuthorInput {
  /** A model author's id. */
  authorId: string;
  /**
   * A string is sent as the user turn of a chat (after the author's persona), or verbatim as a
   * raw completion prompt when `mode` is `completion`. Messages are sent as given, persona first.
   */
  prompt: string | ChatMessage[];
  /** Default `chat`. Completion mode ignores the persona (there is no system turn). */
  mode?: 'chat' | 'completion';
  /** Overrides the author's sampling defaults field by field. */
  settings?: GenerationSettings;
  /** Links the generation row to a document. */
  documentId?: string;
  signal?: AbortSignal;
}

export interface GenerateWithAuthorDeps {
  authors: AuthorService;
  generations: GenerationLog;
  providers: { resolve(ref: ProviderRef): Promise<LlmProvider> };
}

/**
 * Streams a generation in an author's voice: resolves the author's provider and model, merges
 * sampling defaults (then the app's, see resolveGenerationSettings), adds the persona, and writes
 * one `generations` row however it ends (finished, aborted, stopped early by the consumer, or
 * failed with an LlmError code). Returns that row's id, for linking contribution events to it
 * (`const generationId = yield* generateWithAuthor(...)`). Throws AppError('bad_request') for
 * invalid settings before anything is sent.
 */
export async function* generateWithAuthor(
  deps: GenerateWithAuthorDeps,
  input: GenerateWithAuthorInput,
): AsyncGenerator<GenerationPart, number> {
  const author = deps.authors.get(input.authorId);
  if (!author.model)
    throw new LlmError('model_missing', `${author.name} is not a model author.`, { authorId: author.id });
  const cfg = author.model;
  const settings = resolveGenerationSettings({ ...cfg.sampling, ...input.settings });
  // authorId lets the local engine keep this author's KV cache between turns; HTTP backends ignore it.
  const request: GenerationRequest = {
    ...buildRequest(cfg.model, cfg.systemPrompt, input, settings),
    authorId: author.id,
  };
  const promptSha256 = createHash('sha256')
    .update(JSON.stringify(request.kind === 'chat' ? request.messages : request.prompt))
    .digest('hex');
  const t0 = performance.now();
  let generationId: number | undefined;
  let textParts = 0;
  let firstAt = 0;
  const record = (r: {
    reason: 'stop' | 'length' | 'abort' | 'error';
    errorCode?: string;
    usage?: { promptTokens: number; completionTokens: number };
    ttft?: number;
    tps?: number;
    totalMs?: number;
  }): number => {
    if (generationId !== undefined) return generationId;
    generationId = deps.generations.record({
      authorId: author.id,
      provider: cfg.provider,
      model: cfg.model,
      settings,
      promptSha256,
      promptTokens: r.usage?.promptTokens ?? 0,
      completionTokens: r.usage?.completionTokens ?? textParts,
      ttftMs: r.ttft ?? (textParts > 0 ? firstAt - t0 : null),
      tokensPerSecond: r.tps ?? null,
      totalMs: r.totalMs ?? performance.now() - t0,
      finishReason: r.reason,
      errorCode: r.errorCode ?? null,
      documentId: input.documentId ?? null,
    });
    return generationId;
  };
  try {
    const provider = await deps.providers.resolve(cfg.provider);
    for await (const part of provider.generate(request, input.signal)) {
      if (part.type === 'text') {
        if (textParts === 0) firstAt = performance.now();
        textParts++;
      } else {
        record({
          reason: part.reason,
          usage: part.usage,
          ttft: part.timings.timeToFirstTokenMs,
          tps: part.timings.tokensPerSecond,
          totalMs: part.timings.totalMs,
        });
      }
      yield part;
    }
    // Recorded at the finish part; a stream without one (a broken provider) counts as an abort.
    return record({ reason: 'abort' });
  } catch (e) {
    record({ reason: 'error', errorCode: LlmError.isInstance(e) ? e.code : 'internal' });
    throw e;
  } finally {
    // The consumer stopped reading before the finish part: count it as an abort.
    record({ reason: 'abort' });
  }
}

function buildRequest(
  model: string,
  persona: string | null,
  input: GenerateWithAuthorInput,
  settings: GenerationSettings,
): GenerationRequest {
  if (input.mode === 'completion') {
    const prompt = typeof input.prompt === 'string' ? input.prompt : input.prompt.map((m) => m.content).join('\n\n');
    return { kind: 'completion', model, prompt, ...settings };
  }
  const messages: ChatMessage[] =
    typeof input.prompt === 'string' ? [{ role: 'user', content: input.prompt }] : [...input.prompt];
  if (persona && messages[0]?.role !== 'system') messages.unshift({ role: 'system', content: persona });
  return { kind: 'chat', model, messages, ...settings };
}
