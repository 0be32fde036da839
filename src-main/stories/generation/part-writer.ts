import { createHash } from 'node:crypto';
import { AppError } from '../../core/app-error';
import type { GenerationPart, GenerationSettings } from '../../llm/provider';
import type { StoryConfig, StorySampling } from '../common/contract';
import { cleanPart, countStoryWords, looksLikeGarbage } from '../common/story-text';
import { PART_STOPS } from './part-prompt';

/** Seeds of regeneration attempts are this far apart, so attempt 0 keeps the contract's seed + index. */
const ATTEMPT_SEED_STRIDE = 100_003;
const MAX_SEED = 2 ** 31 - 1;

/** One call to a model author (generateWithAuthor bound to the app); returns the generation row id. */
export type AuthorGenerate = (input: {
  authorId: string;
  prompt: string;
  settings: GenerationSettings;
  documentId: string;
  signal?: AbortSignal;
}) => AsyncGenerator<GenerationPart, number>;

export interface WritePartInput {
  config: StoryConfig;
  index: number;
  authorId: string;
  authorName: string;
  prompt: string;
  /** Text a model may echo before its part (the story prompt, the instruction): stripped. */
  echoes: readonly string[];
  /** Which KV sequence of the local engine the part continues. */
  cacheKey: string;
  documentId: string;
  signal?: AbortSignal;
  onAttempt?: (attempt: number) => void;
  onToken?: (text: string) => void;
}

/** A written part before it is stored. */
export interface WrittenPartResult {
  text: string;
  words: number;
  promptHash: string;
  promptTokens: number;
  reusedTokens: number;
  completionTokens: number;
  timeToFirstTokenMs: number | null;
  totalMs: number | null;
  attempts: number;
  generationId: number;
}

/** The settings of one attempt: the part's sampling, max tokens, seed + index (+ attempt stride). */
export function partSettings(
  config: StoryConfig,
  index: number,
  attempt: number,
  cacheKey: string,
): GenerationSettings {
  const sampling: StorySampling = index === 0 ? config.firstSampling : config.laterSampling;
  const settings: GenerationSettings = {
    maxTokens: config.maxTokens,
    seed: (config.seed + index + attempt * ATTEMPT_SEED_STRIDE) % MAX_SEED,
    stop: PART_STOPS,
    cacheKey,
  };
  // Absent fields stay absent: the author's own defaults apply to them.
  if (sampling.temperature !== undefined) settings.temperature = sampling.temperature;
  if (sampling.topP !== undefined) settings.topP = sampling.topP;
  if (sampling.topK !== undefined) settings.topK = sampling.topK;
  return settings;
}

/**
 * Writes one part under CollabStory's rules: generate, clean (echo stripped, unfinished last
 * sentence dropped), regenerate while it is under `minWords` (up to `maxAttempts`, keeping the
 * longest), and regenerate output that is empty or not prose. Throws AppError when no attempt gave
 * usable text, and the model's own error (unreachable, missing) at once.
 */
export async function writePart(generate: AuthorGenerate, input: WritePartInput): Promise<WrittenPartResult> {
  const { config } = input;
  const promptHash = createHash('sha256').update(input.prompt).digest('hex');
  let best: WrittenPartResult | undefined;
  let attempts = 0;
  for (let attempt = 0; attempt < config.maxAttempts; attempt++) {
    input.signal?.throwIfAborted();
    attempts++;
    input.onAttempt?.(attempt + 1);
    const stream = generate({
      authorId: input.authorId,
      prompt: input.prompt,
      settings: partSettings(config, input.index, attempt, input.cacheKey),
      documentId: input.documentId,
      ...(input.signal && { signal: input.signal }),
    });
    let raw = '';
    let finish: Extract<GenerationPart, { type: 'finish' }> | undefined;
    let step = await stream.next();
    while (!step.done) {
      const part = step.value;
      if (part.type === 'text') {
        raw += part.text;
        input.onToken?.(part.text);
      } else finish = part;
      step = await stream.next();
    }
    const generationId = step.value;
    if (input.signal?.aborted || finish?.reason === 'abort')
      throw input.signal?.reason ?? new AppError('conflict', 'Stopped.');
    const text = cleanPart(raw, { dropUnfinishedSentence: config.dropUnfinishedSentence, echoes: input.echoes });
    if (looksLikeGarbage(text)) continue;
    const words = countStoryWords(text);
    const candidate: WrittenPartResult = {
      text,
      words,
      promptHash,
      promptTokens: finish?.usage.promptTokens ?? 0,
      reusedTokens: finish?.cache?.reusedTokens ?? 0,
      completionTokens: finish?.usage.completionTokens ?? 0,
      timeToFirstTokenMs: finish?.timings.timeToFirstTokenMs ?? null,
      totalMs: finish?.timings.totalMs ?? null,
      attempts: 0,
      generationId,
    };
    if (!best || words > best.words) best = candidate;
    if (words >= config.minWords) break;
  }
  if (!best) {
    throw new AppError(
      'internal',
      `${input.authorName} returned no usable text for part ${input.index + 1} (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: empty or not prose).`,
      { authorId: input.authorId, part: input.index },
    );
  }
  return { ...best, attempts };
}
