/**
 * Style change, author count and attribution for a list of units, given a change model. Pure
 * computation: the service adds unit splitting, model loading and files.
 */
import { AppError } from '../core/app-error';
import { changeProbability, type ChangeModel } from './change-model';
import { mergeTexts, pairFeatures, unitProfile, type UnitProfile } from './unit-profile';

export interface UnitAnalysis {
  changeProbability: number[];
  changes: number[];
  authors: number;
}

/** At most this many authors are counted (CollabStory and PAN have 1 to 5). */
export const MAX_COUNTED_AUTHORS = 5;

export function analyzeUnits(model: ChangeModel, units: readonly string[]): UnitAnalysis {
  const profiles = units.map(unitProfile);
  const changeProbabilities: number[] = [];
  for (let i = 0; i + 1 < profiles.length; i++) {
    changeProbabilities.push(round(changeProbability(model, pairFeatures(profiles[i]!, profiles[i + 1]!))));
  }
  const changes = changeProbabilities.map((p) => (p >= model.threshold ? 1 : 0));
  return { changeProbability: changeProbabilities, changes, authors: countAuthors(model, units, changes) };
}

/**
 * Authors from the changes: the runs of units between changes are clustered greedily, a run
 * joining the first earlier cluster the model says has the same style, else starting a new one
 * (an author who comes back after another is not counted twice).
 */
export function countAuthors(model: ChangeModel, units: readonly string[], changes: readonly number[]): number {
  if (units.length === 0) return 0;
  const runs: string[][] = [[units[0]!]];
  for (let i = 1; i < units.length; i++) {
    if (changes[i - 1] === 1) runs.push([units[i]!]);
    else runs[runs.length - 1]!.push(units[i]!);
  }
  const clusters: { texts: string[]; profile: UnitProfile }[] = [];
  for (const run of runs) {
    const profile = mergeTexts(run);
    let best = -1;
    let bestP = model.threshold;
    for (let c = 0; c < clusters.length; c++) {
      const p = changeProbability(model, pairFeatures(clusters[c]!.profile, profile));
      if (p < bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best >= 0 || clusters.length >= MAX_COUNTED_AUTHORS) {
      const target = clusters[best >= 0 ? best : nearest(model, clusters, profile)]!;
      target.texts.push(...run);
      target.profile = mergeTexts(target.texts);
    } else {
      clusters.push({ texts: [...run], profile });
    }
  }
  return clusters.length;
}

function nearest(model: ChangeModel, clusters: { profile: UnitProfile }[], profile: UnitProfile): number {
  let best = 0;
  let bestP = Infinity;
  clusters.forEach((c, i) => {
    const p = changeProbability(model, pairFeatures(c.profile, profile));
    if (p < bestP) {
      bestP = p;
      best = i;
    }
  });
  return best;
}

/**
 * Attribution: each unit against each known author's samples; an author's score is the model's
 * probability of *no* change between the unit and the samples, normalized over the candidates.
 */
export function attributeUnits(
  model: ChangeModel,
  units: readonly string[],
  authors: readonly { id: string; samples: readonly string[] }[],
): Array<{ authorId: string; probability: number }> {
  if (authors.length === 0) throw new AppError('bad_request', 'Attribution needs at least one known author.');
  const profiles = authors.map((a) => {
    if (a.samples.length === 0 || a.samples.every((s) => s.trim() === '')) {
      throw new AppError('bad_request', `Author ${a.id} has no sample text.`);
    }
    return mergeTexts(a.samples);
  });
  return units.map((u) => {
    const unit = unitProfile(u);
    const same = profiles.map((p) => Math.max(1e-6, 1 - changeProbability(model, pairFeatures(unit, p))));
    const total = same.reduce((s, v) => s + v, 0);
    let best = 0;
    for (let i = 1; i < same.length; i++) if (same[i]! > same[best]!) best = i;
    return { authorId: authors[best]!.id, probability: round(same[best]! / total) };
  });
}

function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}
