/**
 * The style-change analysis service: analyze any text (units, P(change), PAN changes and authors),
 * attribute units to known authors, fit the change model on PAN truth and write PAN solutions.
 * The fitted model lives in the data folder (style-change/model.json), replaced atomically.
 */
import { AppError } from '../core/app-error';
import fs from 'node:fs';
import path from 'node:path';
import { analyzeUnits, attributeUnits } from './analyzer';
import {
  changeModelSchema,
  DEFAULT_CHANGE_MODEL,
  isCompatible,
  isDefaultModel,
  type ChangeModel,
} from './change-model';
import type { AnalysisModelInfo, AnalysisUnit, AttributionResult, StyleChangeResult } from './common/contract';
import { macroF1 } from './f1';
import { fitLogistic, logisticScore } from './logistic';
import { readPanProblems, writePanSolution } from './pan-problems';
import { pairFeatures, PAIR_FEATURE_NAMES, unitProfile } from './unit-profile';
import { splitUnits } from './units';

export interface TrainResult extends AnalysisModelInfo {
  /** Problems left out because their truth did not match their units (as PAN's evaluator skips them). */
  skipped: string[];
}

export interface PredictResult {
  problems: number;
  outDir: string;
}

export class StyleChangeService {
  private model: ChangeModel | null = null;
  private readonly modelPath: string;

  constructor(options: { dataDir: string }) {
    this.modelPath = path.join(options.dataDir, 'style-change', 'model.json');
  }

  analyzeText(text: string, options: { unit?: AnalysisUnit } = {}): StyleChangeResult {
    const unit = options.unit ?? 'paragraph';
    const units = splitUnits(text, unit);
    const model = this.current();
    const r = analyzeUnits(
      model,
      units.map((u) => u.text),
    );
    return { unit, units, ...r, model: { name: model.name, trainedOn: model.trainedOn } };
  }

  /** Units already cut (PAN's lines, a story's parts): analysed as given. */
  analyzeUnitTexts(units: readonly string[]): Omit<StyleChangeResult, 'unit' | 'units'> {
    const model = this.current();
    return { ...analyzeUnits(model, units), model: { name: model.name, trainedOn: model.trainedOn } };
  }

  attribute(
    text: string,
    authors: readonly { id: string; samples: readonly string[] }[],
    options: { unit?: AnalysisUnit } = {},
  ): AttributionResult {
    const units = splitUnits(text, options.unit ?? 'paragraph');
    return {
      units,
      assignments: attributeUnits(
        this.current(),
        units.map((u) => u.text),
        authors,
      ),
    };
  }

  modelInfo(): AnalysisModelInfo {
    return info(this.current());
  }

  /** Fits the change model on a folder of PAN problems with truth and makes it the current one. */
  train(problemsDir: string): TrainResult {
    const problems = readPanProblems(problemsDir, { requireTruth: true });
    const xs: number[][] = [];
    const ys: number[] = [];
    const skipped: string[] = [];
    let used = 0;
    for (const p of problems) {
      if (p.truth!.changes.length !== p.units.length - 1) {
        skipped.push(p.id);
        continue;
      }
      used++;
      const profiles = p.units.map(unitProfile);
      for (let i = 0; i + 1 < profiles.length; i++) {
        xs.push(pairFeatures(profiles[i]!, profiles[i + 1]!));
        ys.push(p.truth!.changes[i]!);
      }
    }
    if (xs.length === 0) throw new AppError('bad_request', `There are no usable unit pairs in ${problemsDir}.`);
    if (!ys.includes(0) || !ys.includes(1)) {
      throw new AppError(
        'bad_request',
        'Training needs both changes and non-changes in the truth: export stories with one and with several authors.',
      );
    }
    const fit = fitLogistic(xs, ys);
    const scores = xs.map((x) => logisticScore(fit, x));
    const { threshold, f1 } = bestThreshold(scores, ys);
    const model: ChangeModel = {
      version: 1,
      name: 'logistic regression on style distances',
      features: [...PAIR_FEATURE_NAMES],
      ...fit,
      threshold,
      trainedOn: path.resolve(problemsDir),
      trainedAt: Date.now(),
      problems: used,
      pairs: xs.length,
      trainF1: f1,
      validationF1: null,
      unit: null,
    };
    model.validationF1 = validationF1(model, problemsDir);
    this.save(model);
    return { ...info(model), skipped };
  }

  /** Writes one solution-problem-N.json per problem-N.txt of `problemsDir` into `outDir`. */
  predict(problemsDir: string, outDir: string): PredictResult {
    const problems = readPanProblems(problemsDir);
    fs.mkdirSync(outDir, { recursive: true });
    const model = this.current();
    for (const p of problems) {
      const r = analyzeUnits(model, p.units);
      writePanSolution(outDir, p.id, { authors: r.authors, changes: r.changes.map((c) => (c === 1 ? 1 : 0)) });
    }
    return { problems: problems.length, outDir: path.resolve(outDir) };
  }

  /** Back to the untrained default (removes the stored model). */
  reset(): void {
    fs.rmSync(this.modelPath, { force: true });
    this.model = DEFAULT_CHANGE_MODEL;
  }

  private current(): ChangeModel {
    return (this.model ??= this.load());
  }

  private load(): ChangeModel {
    let raw: string;
    try {
      raw = fs.readFileSync(this.modelPath, 'utf8');
    } catch {
      return DEFAULT_CHANGE_MODEL;
    }
    const parsed = changeModelSchema.safeParse(safeJson(raw));
    // A damaged or older model file is ignored rather than failing every analysis.
    return parsed.success && isCompatible(parsed.data) ? parsed.data : DEFAULT_CHANGE_MODEL;
  }

  private save(model: ChangeModel): void {
    fs.mkdirSync(path.dirname(this.modelPath), { recursive: true });
    const tmp = `${this.modelPath}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(model));
    fs.renameSync(tmp, this.modelPath);
    this.model = model;
  }
}

function info(model: ChangeModel): AnalysisModelInfo {
  return {
    name: model.name,
    trained: !isDefaultModel(model),
    trainedAt: model.trainedAt,
    trainedOn: model.trainedOn,
    problems: model.problems,
    pairs: model.pairs,
    trainF1: model.trainF1,
    validationF1: model.validationF1,
    threshold: model.threshold,
  };
}

/** Macro F1 on `../validation` of a PAN export's train folder; null when there is none. */
function validationF1(model: ChangeModel, trainDir: string): number | null {
  const dir = path.join(path.dirname(path.resolve(trainDir)), 'validation');
  if (path.basename(path.resolve(trainDir)) !== 'train' || !fs.existsSync(dir)) return null;
  let problems;
  try {
    problems = readPanProblems(dir, { requireTruth: true });
  } catch {
    return null; // an empty or foreign validation folder: no held-out score
  }
  const truth: number[] = [];
  const pred: number[] = [];
  for (const p of problems) {
    if (p.truth!.changes.length !== p.units.length - 1) continue;
    truth.push(...p.truth!.changes);
    pred.push(...analyzeUnits(model, p.units).changes);
  }
  return truth.length > 0 ? macroF1(truth, pred) : null;
}

/** The decision threshold with the best macro F1 on the training pairs. */
function bestThreshold(scores: readonly number[], ys: readonly number[]): { threshold: number; f1: number } {
  let best = { threshold: 0.5, f1: -1 };
  for (let t = 0.05; t <= 0.951; t += 0.01) {
    const f1 = macroF1(
      ys,
      scores.map((s) => (s >= t ? 1 : 0)),
    );
    if (f1 > best.f1) best = { threshold: Math.round(t * 100) / 100, f1 };
  }
  return best;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
