/** The `stories.export` job's kind and payload (shared by the service, the job and the API). */
import { z } from 'zod';
import { JOB_KINDS } from '../../jobs/common/job-kinds';
import { EXPORT_UNITS } from '../common/contract';

export const EXPORT_JOB = JOB_KINDS.storiesExport;

export const exportPayloadSchema = z.object({
  dir: z.string().min(1).max(4096),
  unit: z.enum(EXPORT_UNITS).default('paragraph'),
  split: z
    .tuple([z.number().min(0).max(100), z.number().min(0).max(100), z.number().min(0).max(100)])
    .refine((s) => s[0] + s[1] + s[2] > 0, 'The split needs a positive share, e.g. 80,10,10.')
    .default([80, 10, 10]),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
  batchId: z.string().min(1).max(100).nullish(),
});
export type ExportPayload = z.infer<typeof exportPayloadSchema>;
