import { authoringRouter } from './authoring';
import { checksRouter } from './checks';
import { documentsRouter } from './documents';
import { jobsRouter } from './jobs';
import { libraryRouter } from './library';
import { llmRouter } from './llm';
import { storiesRouter } from './stories';
import { systemRouter } from './system';
import { createCallerFactory, router } from './trpc';

/** The whole API contract. The renderer and tests import its type only. */
export const appRouter = router({
  system: systemRouter,
  documents: documentsRouter,
  jobs: jobsRouter,
  checks: checksRouter,
  llm: llmRouter,
  authoring: authoringRouter,
  stories: storiesRouter,
  library: libraryRouter,
});

export type AppRouter = typeof appRouter;

/** In-process calls with the same validation (CLI, tests, benchmarks): tRPC's localLink idea. */
export const createLocalCaller = createCallerFactory(appRouter);
