/**
 * LLM operations in the editor (continue, extend, polish, rewrite, summarize, a free instruction):
 * prompts over a bounded window of the document, suggestions streamed from model authors and kept
 * in `suggestions`, accepted through the authoring core's apply as model edits.
 */
export { SuggestionService, type SuggestionServiceDeps } from './suggestion-service';
export { SuggestionStore } from './suggestion-store';
export { buildOperationPrompt, type OperationPrompt, type OperationPromptInput } from './operation-prompt';
export { contextWindow, DEFAULT_CONTEXT_BOUNDS, MAX_CONTEXT_CHARS, type ContextBounds } from './context-window';
export { minimalChange, type TextChange } from './minimal-diff';
export {
  citation,
  MAX_REFERENCE_PASSAGES,
  MAX_REFERENCE_WORDS,
  referenceBlock,
  type ReferenceSource,
  type UsedPassage,
} from './reference-passages';
export * from './suggestion-types';
