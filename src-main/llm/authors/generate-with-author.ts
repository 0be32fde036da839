import { createHash } from 'node:crypto';
import { LlmError } from '../errors';
import type { ChatMessage, GenerationPart, GenerationRequest, GenerationSettings, LlmProvider } from '../provider';
import type { AuthorService } from './author-service';
import type { ProviderRef } from './author-types';

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
  providers: { resolve(ref: ProviderRef): Promise<LlmProvider> };
}

/**
 * Streams a generation in an author's voice: resolves the author's provider and model, merges
 * sampling defaults, adds the persona, and writes one `generations` row however it ends
 * (finished, aborted, stopped early by the consumer, or failed with an LlmError code).
 */
export async function* generateWithAuthor(
  deps: GenerateWithAuthorDeps,
  input: GenerateWithAuthorInput,
): AsyncIterable<GenerationPart> {
  const author = deps.authors.get(input.authorId);
  if (!author.model)
    throw new LlmError('model_missing', `${author.name} is not a model author.`, { authorId: author.id });
  const cfg = author.model;
  const settings: GenerationSettings = { ...cfg.sampling, ...input.settings };
  // authorId lets the local engine keep this author's KV cache between turns; HTTP backends ignore it.
  const request: GenerationRequest = {
    ...buildRequest(cfg.model, cfg.systemPrompt, input, settings),
    authorId: author.id,
  };
  const promptSha256 = createHash('sha256')
    .update(JSON.stringify(request.kind === 'chat' ? request.messages : request.prompt))
    .digest('hex');
  const t0 = performance.now();
  let recorded = false;
  let textParts = 0;
  let firstAt = 0;
  const record = (r: {
    reason: 'stop' | 'length' | 'abort' | 'error';
    errorCode?: string;
    usage?: { promptTokens: number; completionTokens: number };
    ttft?: number;
    tps?: number;
    totalMs?: number;
  }) => {
    if (recorded) return;
    recorded = true;
    deps.authors.recordGeneration({
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
