import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../../src-main/api/router';

export type {
  ParsedPrompts,
  StoryBatchStarted,
  StoryPreset,
  StoryPrompt,
} from '../../../../src-main/stories/common/contract';

/** The stories procedures' inputs and outputs, as the router declares them. */
type Out = inferRouterOutputs<AppRouter>['stories'];
type In = inferRouterInputs<AppRouter>['stories'];

export type RunInput = In['run'];
export type BatchInput = In['batch'];
export type ExportInput = In['export'];
export type AnalysisResult = Out['analyze'];
