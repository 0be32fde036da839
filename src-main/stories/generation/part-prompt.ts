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
}

export interface PartPromptInput {
  config: StoryConfig;
  storyPrompt: string;
  index: number;
  total: number;
  /**
   * Every author's persona (its system prompt, else '') in turn order: author of part i is
   * `personas[i % personas.length]`. Full-context mode lists them once up front; summary mode
   * gives the current author's in its header.
   */
  personas: readonly string[];
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

/** Summary mode's header: the instruction, then the author's persona (both author-specific). */
function instructionHeader(instruction: string, persona: string): string {
  return persona ? `[${instruction} ${persona}]\n` : `[${instruction}]\n`;
}

/** Stop strings for a part: a model must not start the next turn's header itself. */
export const PART_STOPS = ['\n['];

/**
 * Full-context mode's shared preamble: who the authors are and what each part's instruction is,
 * said once so that each turn's header only names its author (and the last part).
 */
function fullContextPreamble(input: PartPromptInput): string {
  const { config, storyPrompt, total, personas } = input;
  let out = '';
  personas.forEach((persona, i) => {
    if (persona) out += `Author ${i + 1}: ${persona}\n`;
  });
  out += `First part: ${partInstruction(config, storyPrompt, 0, total)}\n`;
  if (total > 2) out += `Next parts: ${partInstruction(config, storyPrompt, 1, total)}\n`;
  if (total > 1) out += `Last part: ${partInstruction(config, storyPrompt, total - 1, total)}\n`;
  return out + '\n';
}

/** Full-context mode's header of part `index`: its author, and "last part" on the last one. */
function turnHeader(index: number, total: number, authors: number): string {
  const author = `Author ${(index % Math.max(1, authors)) + 1}`;
  return partPosition(index, total) === 'last' && total > 1 ? `[${author}, last part]\n` : `[${author}]\n`;
}

/**
 * The completion prompt of one part, laid out so what authors share comes first and what is
 * author-specific comes last (after RelayCaching). Full-context mode:
 *
 *   Story prompt: …                     shared by every part of the story: the prompt, each
 *   Author 1: persona 1 …               author's persona and the first / next / last instructions
 *   First part: … Next parts: … Last part: …
 *
 *   [Author 1]                          every earlier turn, header and text, byte-identical to
 *   text of part 1                      what that turn's own prompt + output was
 *   …
 *   [Author k]                          the current author's header, last
 *
 * Part k's prompt starts with part k-1's prompt and output, so an author on the same model and KV
 * sequence only evaluates the tail: the previous part's trimmed end and its own short header.
 * Per-turn headers are kept short on purpose: they are what every part evaluates anew (on
 * stories260K's 512-token vocabulary "[Author 2]" is 12 tokens, "[instruction persona]" about 38).
 * Summary mode (CollabStory) gives the summary + last sentence, then the instruction and persona.
 */
export function buildPartPrompt(input: PartPromptInput): string {
  const { config, storyPrompt, index, total, personas } = input;
  const system = config.systemPrompt ? `${config.systemPrompt.trim()}\n\n` : '';
  let out = `${system}Story prompt: ${storyPrompt.trim()}\n`;
  if (config.context === 'full') {
    out += fullContextPreamble(input);
    input.previous.slice(0, index).forEach((p, j) => {
      out += turnHeader(j, total, personas.length) + p.text + '\n\n';
    });
    return out + turnHeader(index, total, personas.length);
  }
  out += '\n';
  if (index > 0) {
    if (input.summary) out += `Summary of the story so far: ${input.summary}\n\n`;
    if (input.lastSentence) out += `Last sentence of the story so far: ${input.lastSentence}\n\n`;
  }
  const persona = personas[index % Math.max(1, personas.length)] ?? '';
  return out + instructionHeader(partInstruction(config, storyPrompt, index, total), persona);
}
