/**
 * Datasets and analysis of stored stories: the export job (stories.export) and a story's
 * style-change analysis beside its truth (stories.analyze). Reads stories through StoryReader.
 */
import path from 'node:path';
import { AppError } from '../../core/app-error';
import type { JobRunner } from '../../jobs';
import type { StyleChangeService } from '../../style-change';
import type { AnalysisUnit, StyleChangeResult, StyleChangeTruth } from '../../style-change/common/contract';
import type { StoryReader } from '../common/contract';
import { EXPORT_JOB, type ExportPayload } from './export-payload';
import { storyUnits } from './story-units';
import { writeDataset, type DatasetHooks, type DatasetSummary } from './write-dataset';

export interface StoryAnalysis extends StyleChangeResult {
  storyId: string;
  truth: StyleChangeTruth;
}

export interface StoryDatasetDeps {
  jobs: JobRunner;
  /** The stored stories (the story service), resolved on first use. */
  stories: () => StoryReader;
  styleChange: StyleChangeService;
}

export class StoryDatasetService {
  constructor(private readonly deps: StoryDatasetDeps) {}

  /** Queues the export job; follow it with jobs.onDidChange. */
  startExport(input: ExportPayload): { jobId: string } {
    const payload = { ...input, dir: path.resolve(input.dir) };
    return { jobId: this.deps.jobs.enqueue(EXPORT_JOB, payload).id };
  }

  /** The export itself (the job's body). */
  async exportDataset(input: ExportPayload, hooks: DatasetHooks = {}): Promise<DatasetSummary> {
    const stories = [...this.deps.stories().finishedStories(input.batchId ?? undefined)];
    if (stories.length === 0) {
      throw new AppError(
        'bad_request',
        input.batchId
          ? `Batch ${input.batchId} has no finished stories to export.`
          : 'There are no finished stories to export.',
      );
    }
    return writeDataset(
      stories,
      { dir: input.dir, unit: input.unit, split: input.split, seed: input.seed, batchId: input.batchId ?? null },
      hooks,
    );
  }

  /** A stored story's predictions with its truth (unit authors, changes), for the view. */
  analyzeStory(storyId: string, unit: AnalysisUnit): StoryAnalysis {
    const story = this.deps.stories().getStory(storyId);
    const cut = storyUnits(story, unit);
    const units = cut.units.map(({ start, end, text }) => ({ start, end, text }));
    const r = this.deps.styleChange.analyzeUnitTexts(units.map((u) => u.text));
    return {
      storyId,
      unit,
      units,
      ...r,
      truth: { unitAuthors: cut.units.map((u) => u.authorId), changes: cut.changes, authors: cut.authors },
    };
  }
}
