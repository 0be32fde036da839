import { AppError } from '../core/app-error';
import { storyConfigSchema, type StoryConfig, type StoryConfigInput, type StoryPreset } from './common/contract';

/**
 * CollabStory's part instructions (Venkatraman et al. 2024), reworded for this project: the first
 * part starts the story at once, middle parts continue from the last sentence, the last concludes.
 */
const COLLABSTORY_INSTRUCTIONS = {
  first:
    'Write the first part of a story based on the prompt, in about {words} words. Begin the story right away, with no title or preamble.',
  middle:
    'Continue the storyline from its last sentence, in about {words} words. Write only the next part of the story.',
  last: 'Conclude the storyline from its last sentence, in about {words} words. Write only the final part of the story.',
};

/** Short on purpose: in full-context mode every earlier turn's header stays in the prompt. */
const CUSTOM_INSTRUCTIONS = {
  first: 'Begin the story ({words} words).',
  middle: 'Continue the story ({words} words).',
  last: 'End the story ({words} words).',
};

const PRESETS: readonly StoryPreset[] = [
  {
    id: 'collabstory',
    name: 'CollabStory',
    description:
      'The protocol of Venkatraman et al. (2024): about 180 words a part, parts under 160 words regenerated, ' +
      'an unfinished last sentence dropped, top-p 0.95 then 0.9, top-k 50, max 260 tokens, and a summary of ' +
      'the story so far plus its last sentence for later authors.',
    config: storyConfigSchema.parse({ preset: 'collabstory', instructions: COLLABSTORY_INSTRUCTIONS }),
  },
  {
    id: 'custom',
    name: 'Custom',
    description:
      'Every author sees the whole story so far (full context, which lets authors on one local model share its ' +
      'KV cache); no regeneration by length. Change any setting.',
    config: storyConfigSchema.parse({
      preset: 'custom',
      context: 'full',
      minWords: 0,
      maxAttempts: 1,
      instructions: CUSTOM_INSTRUCTIONS,
    }),
  },
];

/** The presets `stories.presets` lists. */
export function storyPresets(): StoryPreset[] {
  return PRESETS.map((p) => ({ ...p, config: structuredClone(p.config) }));
}

/**
 * A run's full config: its preset's (default collabstory), overridden field by field by `input`.
 * Throws AppError('bad_request') for an unknown preset or an invalid field.
 */
export function resolveStoryConfig(input: StoryConfigInput = {}): StoryConfig {
  const id = input.preset ?? 'collabstory';
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) {
    throw new AppError('bad_request', `Unknown preset "${id}": use ${PRESETS.map((p) => p.id).join(' or ')}.`);
  }
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const parsed = storyConfigSchema.safeParse({ ...preset.config, ...defined });
  if (!parsed.success) throw new AppError('bad_request', `Invalid story settings: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
