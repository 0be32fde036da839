import { z } from 'zod';
import { JOB_KINDS } from '../jobs/common/job-kinds';

/**
 * The `library.add` job's kind and payload: shared by the service that enqueues the job and the
 * job that runs it (kept apart from both so neither imports the other).
 */
export const ADD_JOB = JOB_KINDS.libraryAdd;

const tag = z.string().trim().min(1).max(200);
export const addPayloadSchema = z.object({
  sources: z
    .array(
      z.object({
        path: z.string().min(1).max(4096),
        name: z.string().min(1).max(1000).optional(),
        upload: z.boolean().optional(),
      }),
    )
    // Empty: no files, only bring the dense index up to date (after switching to an embedding model).
    .max(100_000),
  folder: z.string().trim().min(1).max(500).optional(),
  tags: z.array(tag).max(100).default([]),
});
export type AddPayload = z.infer<typeof addPayloadSchema>;
