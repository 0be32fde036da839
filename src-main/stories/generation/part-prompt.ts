import type { StoryConfig } from '../common/contract';

/** Where a part sits in the story: picks the first / middle / last instruction. */
export type PartPosition = 'first' | 'middle' | 'last';

export function partPosition(index: number, total: number): PartPosition {
  if (index === 0) return 'first';
  return index === total - 1 ? 'last' : 'middle';
}

/** A part already written, as later prompts show it. */
export interface WrittenPart {
  text: string;
  /** The author's persona when it wrote the part (its header in full-context prompts). */
  persona: string;
}

export interface PartPromptInput {
  config: StoryConfig;
  storyPrompt: string;
  index: number;
  total: number;
  /** The current author's persona (its system prompt, else the story's), '' for none. */
  persona: string;
  previous: readonly WrittenPart[];
  /** Summary mode: the summary of the previous parts ('' for the first part). */
  summary?: string;
  /** Summary mode: the last sentence of the story so far. */
  lastSentence?: string;
}

/**
 * The instruction of part `index` with `{words}` and `{prompt}` filled in.
 * `instructions` is always set on a resolved config (the presets fill it).
 */
export function partInstruction(config: StoryConfig, storyPrompt: string, index: number, total: number): string {
  const instructions = config.instructions ?? {
    first: 'Begin a story based on the prompt, in about {words} words.',
    middle: 'Continue the story in about {words} words.',
    last: 'End the story in about {words} words.',
  };
  return instructions[partPosition(index, total)]
    .replaceAll('{words}', String(config.wordsPerPart))
    .replaceAll('{prompt}', storyPrompt);
}

/** The header a turn starts with: its instruction, then the author's persona (both author-specific). */
function turnHeader(instruction: string, persona: string): string {
  return persona ? `[${instruction} ${persona}]\n` : `[${instruction}]\n`;
}

/** Stop strings for a part: a model must not start the next turn's header itself. */
export const PART_STOPS = ['\n['];

/**
 * The completion prompt of one part, laid out so what authors share comes first and what is
 * author-specific comes last (after RelayCaching):
 *
 *   Story prompt: …                     shared by every part of the story
 *   [instruction 1 persona 1]          full-context mode: every earlier turn, header and text,
 *   text of part 1                      byte-identical to what that turn's own prompt + output was
 *   …
 *   [instruction k persona k]          the current author's part, last
 *
 * In full-context mode part k's prompt starts with part k-1's prompt and output, so an author on
 * the same model and KV sequence only evaluates the tail (the last part's trimmed end and its own
 * header). Summary mode (CollabStory) gives the summary + last sentence instead of the turns.
 */
export function buildPartPrompt(input: PartPromptInput): string {
  const { config, storyPrompt, index, total } = input;
  const system = config.systemPrompt ? `${config.systemPrompt.trim()}\n\n` : '';
  let out = `${system}Story prompt: ${storyPrompt.trim()}\n\n`;
  if (index > 0 && config.context === 'full') {
    input.previous.forEach((p, j) => {
      out += turnHeader(partInstruction(config, storyPrompt, j, total), p.persona) + p.text + '\n\n';
    });
  } else if (index > 0) {
    if (input.summary) out += `Summary of the story so far: ${input.summary}\n\n`;
    if (input.lastSentence) out += `Last sentence of the story so far: ${input.lastSentence}\n\n`;
  }
  return out + turnHeader(partInstruction(config, storyPrompt, index, total), input.persona);
}
