export { appRouter, createLocalCaller, type AppRouter } from './router';
export type { ApiContext, ApiErrorData } from './trpc';
export { API_VERSION } from './system';
