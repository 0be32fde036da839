/** The shipped model's manifest (models/detect/features.json): feature definition + calibration. */
import type { Platt } from './calibration';
import type { OperatingPoint, OperatingPointRates, ScoreDistribution } from './common/bands';
import type { FeatureSpec } from './features';

export interface DetectorManifest {
  format: 'palimpsest-detect';
  version: 1;
  /** ONNX file name, relative to the manifest. */
  model: string;
  createdAt: string;
  /** Feature-set name chosen by leave-one-source-out validation. */
  candidate: string;
  /** Source files the shipped weights were trained on. */
  trainedOn: string[];
  spec: FeatureSpec;
  calibration: {
    platt: Platt;
    /** Default decision threshold on the calibrated AI probability. */
    threshold: number;
    /** False-positive rate on human text the threshold was chosen for (source-balanced). */
    targetFpr: number;
    /** Source-balanced FPR at the threshold on out-of-source training scores. */
    oofHumanFpr: number;
  };
  /**
   * Written by scripts/detect/operating-points.ts (absent in older manifests): the strict and standard
   * flag thresholds with their out-of-source rates, the floor of the inconclusive band under each,
   * and how often human / LLM texts of each length scored how high.
   */
  operatingPoints?: Record<OperatingPoint, OperatingPointRates>;
  inconclusiveFloor?: Record<OperatingPoint, number>;
  scoreDistribution?: ScoreDistribution;
}
