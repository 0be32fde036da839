import { z } from 'zod';
import { eventStream } from './event-stream';
import { procedure, router } from './trpc';

export const jobsRouter = router({
  list: procedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).optional() }).optional())
    .query(({ ctx, input }) => ctx.app.jobs.list(input?.limit)),
  get: procedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => ctx.app.jobs.get(input.id)),
  cancel: procedure
    .input(z.object({ id: z.string().min(1) }))
    .mutation(({ ctx, input }) => ctx.app.jobs.cancel(input.id)),
  /**
   * Runs queued jobs and jobs left by a process that is gone; says which running jobs another live
   * process holds (they are left to it).
   */
  resume: procedure.mutation(({ ctx }) => ctx.app.jobs.resume()),
  /** Progress and status changes of every job (throttled by the runner). */
  onDidChange: procedure.subscription(({ ctx, signal }) => eventStream(ctx.app.jobs.onDidChangeJob, signal)),
});
