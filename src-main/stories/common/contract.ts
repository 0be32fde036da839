/**
 * The stories capability's shared contract: what a story is, how a run is configured, and the
 * events a run emits. The generation service, the dataset export/analysis, the API and the Stories
 * view all code against this file (no Node, no Electron: the renderer imports it).
 */
import { z } from 'zod';

/** CollabStory used 1 to 5 model authors per story. */
export const MAX_STORY_AUTHORS = 5;
/** The human writer's author id (authorship/common HUMAN_AUTHOR_ID) taking a turn in the editor. */
export const HUMAN_TURN = 'human';

export const STORY_CONTEXT_MODES = ['summary', 'full'] as const;
/** summary: a summary of the story so far + its last sentence (CollabStory); full: the whole story so far. */
export type StoryContextMode = (typeof STORY_CONTEXT_MODES)[number];

export const STORY_STATUSES = ['writing', 'awaiting-human', 'done', 'failed'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

export const summarizerSchema = z.discriminatedUnion('kind', [
  /** Picks the story's most central sentences; needs no model. */
  z.object({ kind: z.literal('extractive'), sentences: z.number().int().min(1).max(20).default(4) }),
  /** A model author from the registry writes the summary. */
  z.object({ kind: z.literal('author'), authorId: z.string().min(1).max(200) }),
]);
export type Summarizer = z.infer<typeof summarizerSchema>;

export const samplingSchema = z.object({
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  topK: z.number().int().min(0).max(1000).optional(),
});
export type StorySampling = z.infer<typeof samplingSchema>;

/** Instructions per position; `{words}` is replaced by the word budget, `{prompt}` by the story prompt. */
export const instructionsSchema = z.object({
  first: z.string().min(1).max(4000),
  middle: z.string().min(1).max(4000),
  last: z.string().min(1).max(4000),
});

/** Everything that shapes a story besides its prompt and authors. Stored with the story (reproducible). */
export const storyConfigSchema = z.object({
  preset: z.string().min(1).max(60).default('collabstory'),
  context: z.enum(STORY_CONTEXT_MODES).default('summary'),
  /** Turns each author takes; parts = authors × partsPerAuthor, in author order, round robin. */
  partsPerAuthor: z.number().int().min(1).max(10).default(1),
  /** Target words per part (CollabStory: about 180). */
  wordsPerPart: z.number().int().min(10).max(2000).default(180),
  /** Parts shorter than this are regenerated (CollabStory: 160); 0 disables. */
  minWords: z.number().int().min(0).max(2000).default(160),
  /** Regeneration attempts before the shortest-but-best part is kept. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  maxTokens: z.number().int().min(1).max(32_768).default(260),
  /** Sampling of the first part and of every later part (CollabStory: top-p 0.95 then 0.9, top-k 50). */
  firstSampling: samplingSchema.default({ topP: 0.95, topK: 50 }),
  laterSampling: samplingSchema.default({ topP: 0.9, topK: 50 }),
  /** Drop a trailing unfinished sentence from each part. */
  dropUnfinishedSentence: z.boolean().default(true),
  systemPrompt: z.string().max(8000).optional(),
  instructions: instructionsSchema.optional(),
  summarizer: summarizerSchema.default({ kind: 'extractive', sentences: 4 }),
  /** Base seed; part i of the story uses seed + i (same seed and settings → same story). */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
});
export type StoryConfig = z.infer<typeof storyConfigSchema>;
export type StoryConfigInput = z.input<typeof storyConfigSchema>;

/**
 * A run's settings as sent: any StoryConfig field, none defaulted (absent fields come from the
 * preset, not from this schema's defaults).
 */
export const storyConfigInputSchema = z
  .object(
    Object.fromEntries(
      Object.entries(storyConfigSchema.shape).map(([k, v]) => [
        k,
        (v instanceof z.ZodDefault ? v.unwrap() : v).optional(),
      ]),
    ),
  )
  .strict() as unknown as z.ZodType<StoryConfigInput>;

export interface StoryAuthor {
  /** Author id in the registry, or HUMAN_TURN. */
  id: string;
  name: string;
  kind: 'model' | 'human';
  /** Provider ref + model id the author used, null for the human. */
  model: string | null;
  /** Author colour (authorship/common author-colors), for the view. */
  color: string;
}

export interface StoryPart {
  index: number;
  authorId: string;
  authorName: string;
  model: string | null;
  text: string;
  words: number;
  /** sha256 of the exact prompt the model saw (hex). */
  promptHash: string | null;
  promptTokens: number;
  /** Prompt tokens taken from the KV cache (local engine) instead of evaluated. */
  reusedTokens: number;
  completionTokens: number;
  timeToFirstTokenMs: number | null;
  totalMs: number | null;
  /** Attempts it took (regenerated when under minWords). */
  attempts: number;
  /** The authorship generation row (model, settings, timings) this part came from; null for the human. */
  generationId: number | null;
}

export interface Story {
  id: string;
  prompt: string;
  /** Where the prompt came from: a built-in prompt id, a file name + line, or null when typed. */
  promptSource: string | null;
  /** The Write-view document holding the story, its parts as contributions of their authors. */
  documentId: string;
  authors: StoryAuthor[];
  config: StoryConfig;
  status: StoryStatus;
  parts: StoryPart[];
  /** Parts joined by blank lines (one paragraph per part at least). */
  text: string;
  error: string | null;
  batchId: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export type StorySummary = Omit<Story, 'parts' | 'text' | 'config'> & {
  parts: number;
  words: number;
  excerpt: string;
};

export const storyListFilterSchema = z.object({
  batchId: z.string().max(100).optional(),
  authorId: z.string().max(200).optional(),
  status: z.enum(STORY_STATUSES).optional(),
  search: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(10_000).default(200),
  offset: z.number().int().min(0).default(0),
});
export type StoryListFilter = z.input<typeof storyListFilterSchema>;

/** Read access other parts of the capability (export, analysis) use; the story service implements it. */
export interface StoryReader {
  listStories(filter?: StoryListFilter): { items: StorySummary[]; total: number };
  getStory(id: string): Story;
  /** Every finished story (status done), in creation order, optionally of one batch. */
  finishedStories(batchId?: string): Iterable<Story>;
}

/** Pushed while stories are written (subscription `stories.events`). */
export type StoryEvent =
  | { type: 'story-started'; storyId: string; batchId: string | null }
  | { type: 'part-started'; storyId: string; index: number; authorId: string; attempt: number }
  | { type: 'token'; storyId: string; index: number; text: string }
  | { type: 'part-done'; storyId: string; part: StoryPart }
  | { type: 'story-done'; storyId: string; status: StoryStatus; error: string | null };

export const BATCH_ORDERS = ['given', 'all'] as const;
export type BatchOrders = (typeof BATCH_ORDERS)[number];

export const EXPORT_UNITS = ['paragraph', 'sentence'] as const;
export type ExportUnit = (typeof EXPORT_UNITS)[number];

/** A named starting configuration (`stories.presets`); a run's config overrides it field by field. */
export interface StoryPreset {
  id: string;
  name: string;
  description: string;
  /** The full config a run gets from this preset (instructions filled in). */
  config: StoryConfig;
}

/** A prompt of the built-in set or of a parsed file. */
export interface StoryPrompt {
  text: string;
  /** `builtin:<id>`, `<file>:<line>`, or null. */
  source: string | null;
}

/** What `stories.parsePrompts` gives: the prompts it read and each line it could not. */
export interface ParsedPrompts {
  prompts: StoryPrompt[];
  errors: Array<{ line: number; message: string }>;
}

/** What `stories.batch` returns. */
export interface StoryBatchStarted {
  jobId: string;
  batchId: string;
  stories: number;
}
