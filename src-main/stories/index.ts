export {
  StoryService,
  type StoryLlm,
  type StoryServiceDeps,
  type StoryOutcome,
  type StoryEventEnvelope,
} from './story-service';
export { StoryStore } from './story-store';
export { registerStoryJobs, STORY_BATCH_JOB, type BatchUnit, type StoryJobResult } from './batch-job';
export { storyPresets, resolveStoryConfig } from './presets';
export { builtinPrompts } from './prompts/builtin-prompts';
export { parsePromptFile } from './prompts/prompt-file';
export { expandBatch } from './batch-grid';
export { startStoryRun, startStoryBatch, submitHumanPart } from './story-runs';
