import { EXPORT_UNITS, type ExportUnit } from '../../../../src-main/stories/common/contract';
import { api, errorMessage } from '../../api/client';
import type { AnalysisModelInfo } from '../../../../src-main/style-change/common/contract';
import type { AnalysisResult } from './api-types';

/** One story's authorship analysis: the unit it is cut into, the result, and the model used. */
export class AnalysisState {
  unit = $state<ExportUnit>(EXPORT_UNITS[0]);
  result = $state<AnalysisResult | null>(null);
  model = $state<AnalysisModelInfo | null>(null);
  running = $state(false);
  error = $state<string | null>(null);
  /** Which story the result belongs to (a result never shows beside another story). */
  storyId = $state<string | null>(null);

  async run(storyId: string): Promise<void> {
    this.running = true;
    this.error = null;
    try {
      const [result, model] = await Promise.all([
        api.stories.analyze.mutate({ storyId, unit: this.unit }),
        api.stories.analysisModel.query(),
      ]);
      this.result = result;
      this.model = model;
      this.storyId = storyId;
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.running = false;
    }
  }

  training = $state(false);
  trainError = $state<string | null>(null);

  /** Loads which model the analysis runs on (shown before any analysis). */
  async loadModel(): Promise<void> {
    try {
      this.model = await api.stories.analysisModel.query();
    } catch {
      // Shown again with the next analysis; nothing here depends on it.
    }
  }

  /** Fits the analysis on an export's PAN train split (`DIR/pan/train`); later analyses use it. */
  async train(panTrainDir: string): Promise<boolean> {
    this.training = true;
    this.trainError = null;
    try {
      this.model = await api.stories.analysisTrain.mutate({ dir: panTrainDir });
      // Results drawn with the previous model would now mislead.
      this.clear();
      return true;
    } catch (e) {
      this.trainError = errorMessage(e);
      return false;
    } finally {
      this.training = false;
    }
  }

  clear(): void {
    this.result = null;
    this.storyId = null;
    this.error = null;
  }
}
