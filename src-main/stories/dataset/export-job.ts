import type { JobRunner } from '../../jobs';
import { EXPORT_JOB, exportPayloadSchema, type ExportPayload } from './export-payload';
import type { StoryDatasetService } from './story-dataset-service';
import type { DatasetSummary } from './write-dataset';

/**
 * The export as a job: progress per story, cancel between stories. It is not checkpointed mid-way:
 * the folder only appears complete (write-dataset), so a resumed job simply writes it again.
 */
export function registerStoryDatasetJobs(jobs: JobRunner, datasets: StoryDatasetService): void {
  jobs.register<ExportPayload, undefined, DatasetSummary>({
    kind: EXPORT_JOB,
    payloadSchema: exportPayloadSchema,
    run: (ctx) =>
      datasets.exportDataset(ctx.payload, {
        signal: ctx.signal,
        progress: (done, total, message) => ctx.progress(done, total, message),
      }),
  });
}
