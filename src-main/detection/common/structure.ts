/**
 * Mixed documents: where authorship changes inside a text, read from per-segment evidence, and the
 * role that structure implies. Pure; shared by the detector and by the leave-one-source-out
 * measurement in scripts/detect/operating-points.ts, so the model card measures what ships.
 *
 * Evidence per segment is its calibrated AI logit. A second, optional signal is the style-change
 * probability between a segment and the one before it (src-main/style-change); it only strengthens
 * or weakens a boundary the detector's own evidence proposes, by STYLE_CHANGE_WEIGHT.
 */

import type { Verdict, VerdictBand } from './bands';

export interface SegmentEvidence {
  words: number;
  /** Calibrated AI logit of the segment. */
  logit: number;
  /** P(authorship changes between the previous segment and this one), when known. */
  changeBefore?: number;
}

export type StructureKind = 'uniform' | 'suffix' | 'block';

export interface DocumentStructure {
  /**
   * `suffix`: a human start continued by an LLM (→ extended); `block`: an LLM passage inside human
   * writing (→ extended: an LLM added text); `uniform`: no boundary, evidence spread over the text.
   */
  kind: StructureKind;
  /** Per segment: on the LLM side of a boundary. All false for `uniform`. */
  llmSide: boolean[];
  /** Per segment: authorship changes between the previous segment and this one. */
  change: boolean[];
  /** Index of the first LLM-side segment, or null. */
  firstLlm: number | null;
}

/**
 * Smallest gap (in logit units, word-weighted means) between the two sides of a boundary. Chosen on
 * seqxgpt / CoAuthor / variable-extension in leave-one-source-out (operating-points.ts).
 */
export const MIN_BOUNDARY_GAP = 0.5;
/** Each side of a boundary needs this many words, so one noisy short paragraph cannot make one. */
export const MIN_SIDE_WORDS = 60;
/**
 * Weight of the style-change signal (logit units per unit of P(change) − 0.5). 0: off. Tuned in
 * leave-one-source-out over the three mixed sources (operating-points.ts, `boundaries.styleGain`):
 * with the untrained default change model the held-out gain was +0.001 ± 0.014 (not significant)
 * and weight 1 made boundaries worse, so the signal is measured but not used.
 */
export const STYLE_CHANGE_WEIGHT: number = 0;

export interface StructureOptions {
  /** Overrides STYLE_CHANGE_WEIGHT: the leave-one-source-out measurement tunes it. */
  styleWeight?: number;
}

interface Split {
  gap: number;
  from: number;
  to: number;
}

/**
 * Finds the strongest human → LLM (suffix) or human → LLM → human (block) split. `llmLevel` is the
 * calibrated logit the LLM side must reach on average and the human side must stay below.
 */
export function documentStructure(
  segs: readonly SegmentEvidence[],
  llmLevel: number,
  opts: StructureOptions = {},
): DocumentStructure {
  const styleWeight = opts.styleWeight ?? STYLE_CHANGE_WEIGHT;
  const n = segs.length;
  const none: DocumentStructure = {
    kind: 'uniform',
    llmSide: segs.map(() => false),
    change: segs.map(() => false),
    firstLlm: null,
  };
  if (n < 2) return none;
  const cw: number[] = [0];
  const cz: number[] = [0];
  for (const s of segs) {
    cw.push(cw[cw.length - 1]! + s.words);
    cz.push(cz[cz.length - 1]! + s.words * s.logit);
  }
  const mean = (a: number, b: number): number => (cz[b]! - cz[a]!) / Math.max(1, cw[b]! - cw[a]!);
  const words = (a: number, b: number): number => cw[b]! - cw[a]!;
  const styleBonus = (i: number): number => {
    const c = segs[i]?.changeBefore;
    return c === undefined ? 0 : styleWeight * (c - 0.5);
  };
  let best: Split | null = null;
  // LLM side = segments [from, to); the rest is human. to = n is a suffix, to < n a block.
  for (let from = 1; from < n; from++) {
    for (let to = from + 1; to <= n; to++) {
      const inside = words(from, to);
      const outside = words(0, from) + words(to, n);
      if (inside < MIN_SIDE_WORDS || words(0, from) < MIN_SIDE_WORDS) continue;
      if (to < n && words(to, n) < MIN_SIDE_WORDS) continue;
      const llm = mean(from, to);
      const human = (cz[from]! - cz[0]! + cz[n]! - cz[to]!) / Math.max(1, outside);
      if (llm < llmLevel || human >= llmLevel) continue;
      // Each boundary the style-change signal agrees with adds to the gap (a block has two).
      const gap = llm - human + styleBonus(from) + (to < n ? styleBonus(to) : 0) - (to < n ? 0.25 : 0);
      if (gap >= MIN_BOUNDARY_GAP && (best === null || gap > best.gap)) best = { gap, from, to };
    }
  }
  if (!best) return none;
  const { from, to } = best;
  const llmSide = segs.map((_, i) => i >= from && i < to);
  return {
    kind: to === n ? 'suffix' : 'block',
    llmSide,
    change: llmSide.map((v, i) => i > 0 && v !== llmSide[i - 1]),
    firstLlm: from,
  };
}

/**
 * The role a structure implies for a text judged `llm`: a boundary means an LLM added text to a
 * human one (extended); without one, the role head chooses between polished (LLM evidence spread
 * over a human text) and generated (LLM throughout). Role indices follow ROLE_NAMES.
 */
export function roleFromStructure(kind: StructureKind, roleProbs: ArrayLike<number>): 1 | 2 | 3 {
  if (kind !== 'uniform') return 2;
  return roleProbs[3]! > roleProbs[1]! ? 3 : 1;
}

/**
 * The LLM side's own evidence: the word-weighted mean calibrated logit of the segments on the LLM
 * side of a boundary, or null without one. The whole-document score is diluted by the human part.
 */
export function llmSideLogit(
  segs: readonly Pick<SegmentEvidence, 'words' | 'logit'>[],
  structure: Pick<DocumentStructure, 'kind' | 'llmSide'>,
): number | null {
  if (structure.kind === 'uniform') return null;
  let w = 0;
  let z = 0;
  segs.forEach((s, i) => {
    if (!structure.llmSide[i]) return;
    w += s.words;
    z += s.words * s.logit;
  });
  return w > 0 ? z / w : null;
}

/**
 * A mixed document must not hide its boundary under a `human` verdict: when the LLM side of a
 * boundary reaches the inconclusive floor on its own, the document is at least `inconclusive`.
 * Never `llm` by this rule: the flag band's false-positive guarantee is measured on whole documents
 * (see MODEL_CARD.md, "Mixed documents", for what flagging by the side alone would cost).
 */
export function verdictWithBoundary(
  documentVerdict: Verdict,
  llmSideProbability: number | null,
  band: VerdictBand,
): Verdict {
  if (documentVerdict !== 'human' || llmSideProbability === null) return documentVerdict;
  return llmSideProbability >= band.floor ? 'inconclusive' : 'human';
}
