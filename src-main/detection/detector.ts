/**
 * The detector: feature extraction (features.ts) + one ONNX graph with three linear heads, then
 * calibration, abstention and segment analysis. One onnxruntime session per detector.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Types only at load time: the native runtime is imported on the first createDetector(), so the CLI
// and the app start without paying for it.
import type * as Ort from 'onnxruntime-node';
import { textLooksBinary } from '../core/common/decode-text';
import { sigmoid, type Platt } from './calibration';
import { DetectionError } from './errors';
import {
  analyze,
  checkSpec,
  extractFeatures,
  featureDim,
  guessLanguage,
  scatter,
  type FeatureSpec,
  type SparseVec,
} from './features';
import type { DetectorManifest } from './manifest';
import { loadDictionaryFile } from './dictionary';
import { agreeWithVerdict } from './common/agreement';
import { scoreMeaning, verdictFor, type OperatingPoint, type Verdict, type VerdictBand } from './common/bands';
import { caveatFor } from './common/caveat';
import {
  documentStructure,
  llmSideLogit,
  roleFromStructure,
  STYLE_CHANGE_WEIGHT,
  verdictWithBoundary,
  type SegmentEvidence,
} from './common/structure';
import { segmentChangeBefore, segmentLogit, structureLevel } from './segment-scores';
import { segmentText } from './segments';
import { ROLE_NAMES, combineInvolvement, decideRole } from './verdict';
import type { CalibrationProfile, DetectOptions, DetectionResult, Detector, RoleProbs, SegmentResult } from './types';

/** Below this many words the detector abstains (Turnitin needs 300; our LOSO accuracy drops fast under ~80). */
export const MIN_WORDS = 80;
/** Hard cap on characters scored (about 400k words); longer input is rejected, not truncated silently. */
export const MAX_CHARS = 2_000_000;
/** Rows per ONNX call: bounds the dense input buffer (rows x dim float32). */
const BATCH_ROWS = 64;

export interface CreateDetectorOptions {
  /** Folder holding detect/features.json and detect/detector.onnx; defaults to <repo>/models. */
  modelsDir?: string;
  /** onnxruntime intra-op threads; 1 leaves the other core to the UI / other workers. */
  threads?: number;
}

/** Default models folder: <repo>/models, found relative to this file (src-main/detection). */
export function defaultModelsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../..', '../../..']) {
    const dir = path.resolve(here, up, 'models');
    if (existsSync(path.join(dir, 'detect', 'features.json'))) return dir;
  }
  return path.resolve(here, '..', '..', 'models');
}

interface RawOut {
  roleProbs: Float32Array;
  aiLogit: number;
  involvement: number;
}

export async function createDetector(opts: CreateDetectorOptions = {}): Promise<Detector> {
  const dir = path.join(opts.modelsDir ?? defaultModelsDir(), 'detect');
  const manifestPath = path.join(dir, 'features.json');
  if (!existsSync(manifestPath)) {
    throw new DetectionError('model_missing', 'The detection model is not installed.', { path: manifestPath });
  }
  let manifest: DetectorManifest;
  let session: Ort.InferenceSession;
  let ort: typeof Ort;
  try {
    ort = await import('onnxruntime-node');
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as DetectorManifest;
    if (manifest.format !== 'palimpsest-detect' || manifest.version !== 1) throw new Error('unknown manifest format');
    if (manifest.spec.dictionary)
      loadDictionaryFile(manifest.spec.dictionary, path.join(dir, manifest.spec.dictionary));
    session = await ort.InferenceSession.create(path.join(dir, manifest.model), {
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new DetectionError('model_invalid', 'The detection model could not be loaded.', { path: dir }, { cause: e });
  }
  try {
    const input = session.inputMetadata.find((m) => m.name === 'features');
    assertSpecFitsModel(manifest.spec, input?.isTensor ? input.shape : undefined);
  } catch (e) {
    await session.release();
    throw e;
  }
  return new OnnxDetector(manifest, session, ort);
}

/**
 * Fails loudly when features.json and the ONNX graph disagree: the model reads its inputs by
 * position, so one feature too many or too few would shift every input after it.
 * @param inputShape the graph's `features` input shape ([batch, width]); undefined when it has none.
 */
export function assertSpecFitsModel(spec: FeatureSpec, inputShape: ReadonlyArray<number | string> | undefined): void {
  const mismatch = (reason: string): DetectionError =>
    new DetectionError('model_invalid', `The detection model does not match its feature definition: ${reason}.`, {
      reason,
    });
  try {
    checkSpec(spec);
  } catch (e) {
    throw mismatch((e as Error).message);
  }
  const width = inputShape?.[1];
  if (typeof width !== 'number') throw mismatch('the model has no fixed-width "features" input');
  const dim = featureDim(spec);
  if (width !== dim) {
    throw mismatch(
      `the model takes ${width} inputs, features.json defines ${dim} (${1 << spec.hashBits} hashed + ${spec.style.length} style)`,
    );
  }
}

class OnnxDetector implements Detector {
  private readonly dim: number;
  private session: Ort.InferenceSession | null;
  readonly defaults: Detector['defaults'];

  constructor(
    private readonly manifest: DetectorManifest,
    session: Ort.InferenceSession,
    private readonly ort: typeof Ort,
  ) {
    this.session = session;
    this.dim = featureDim(manifest.spec);
    const c = manifest.calibration;
    this.defaults = {
      threshold: c.threshold,
      platt: c.platt,
      targetFpr: c.targetFpr,
      minWords: MIN_WORDS,
      operatingPoints: manifest.operatingPoints ?? null,
    };
  }

  get disposed(): boolean {
    return this.session === null;
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = null;
    await s?.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async detect(text: string, opts: DetectOptions = {}): Promise<DetectionResult> {
    const [r] = await this.detectMany([text], opts);
    if (DetectionError.isInstance(r)) throw r;
    return r!;
  }

  async detectMany(texts: readonly string[], opts: DetectOptions = {}): Promise<(DetectionResult | DetectionError)[]> {
    const withSegments = opts.segments ?? true;
    const prepared = texts.map((t) => {
      try {
        return prepareText(t, this.manifest, withSegments);
      } catch (e) {
        return DetectionError.from(e);
      }
    });
    const vecs: SparseVec[] = [];
    for (const p of prepared) if (!DetectionError.isInstance(p)) vecs.push(p.doc, ...p.segVecs);
    const outs = await this.run(vecs);
    let k = 0;
    return prepared.map((p) => {
      if (DetectionError.isInstance(p)) return p;
      const doc = outs[k++]!;
      const segs = p.segVecs.map(() => outs[k++]!);
      return this.finish(p, doc, segs, opts);
    });
  }

  async rawLogits(texts: readonly string[]): Promise<number[]> {
    const vecs = texts.map((t) => prepareText(t, this.manifest, false).doc);
    return (await this.run(vecs)).map((o) => o.aiLogit);
  }

  /** Runs the ONNX graph on sparse rows, BATCH_ROWS at a time. */
  private async run(vecs: readonly SparseVec[]): Promise<RawOut[]> {
    const session = this.session;
    if (!session) throw new DetectionError('disposed', 'The detector was closed.');
    const out: RawOut[] = [];
    for (let s = 0; s < vecs.length; s += BATCH_ROWS) {
      const n = Math.min(BATCH_ROWS, vecs.length - s);
      const buf = new Float32Array(n * this.dim);
      for (let i = 0; i < n; i++) scatter(vecs[s + i]!, buf, i, this.dim);
      const res = await session.run({ features: new this.ort.Tensor('float32', buf, [n, this.dim]) });
      const rp = res['role_probs']!.data as Float32Array;
      const ai = res['ai_logit']!.data as Float32Array;
      const inv = res['involvement']!.data as Float32Array;
      for (let i = 0; i < n; i++) {
        out.push({ roleProbs: rp.slice(i * 4, i * 4 + 4), aiLogit: ai[i]!, involvement: inv[i]! });
      }
    }
    return out;
  }

  /** The flag threshold and inconclusive floor of an operating point, under a profile or the shipped calibration. */
  private band(point: OperatingPoint, profile?: CalibrationProfile): VerdictBand {
    return bandFor(point, this.manifest, profile);
  }

  private finish(p: Prepared, doc: RawOut, segs: RawOut[], opts: DetectOptions): DetectionResult {
    const profile = opts.profile;
    const point: OperatingPoint = opts.operatingPoint ?? 'strict';
    const platt: Platt = profile?.platt ?? this.manifest.calibration.platt;
    const band = this.band(point, profile);
    const threshold = band.flag;
    const calLogit = platt.a * doc.aiLogit + platt.b;
    // Length first: a one-line note is "too short" whatever its language looks like.
    const abstainReason =
      p.wordCount < MIN_WORDS ? 'too_short' : p.language !== 'en' ? 'unsupported_language' : undefined;
    // Abstaining keeps the ranking (useful for AUROC-style review) but pulls the number towards
    // 0.5 so it never reads as a confident verdict; no output shows it (common/agreement.ts).
    const temper = abstainReason === 'unsupported_language' ? 0.3 : abstainReason === 'too_short' ? 0.5 : 1;
    const aiProbability = sigmoid(calLogit * temper);
    const docVerdict: Verdict = abstainReason ? 'inconclusive' : verdictFor(aiProbability, band);
    // Heuristic band: logit noise shrinks with length (about 1/sqrt(words)).
    const halfWidth = 1.2 * Math.sqrt(300 / Math.max(30, p.wordCount));
    const confidence: [number, number] = [
      round(sigmoid(calLogit * temper - halfWidth)),
      round(sigmoid(calLogit * temper + halfWidth)),
    ];
    const involvement = abstainReason
      ? round(doc.involvement * 0.5)
      : round(combineInvolvement(doc.involvement, aiProbability, threshold));

    // Mixed documents: where the segments' evidence changes side (common/structure.ts); the style
    // change between consecutive segments can strengthen or weaken a boundary (STYLE_CHANGE_WEIGHT).
    const segLogits = p.segSpans.map((sp, i) => segmentLogit(platt, (segs[i] ?? doc).aiLogit, sp.words, calLogit));
    const structure =
      abstainReason || p.segSpans.length < 2
        ? null
        : documentStructure(
            p.segSpans.map((sp, i) => {
              const e: SegmentEvidence = { words: sp.words, logit: segLogits[i]! };
              const c = p.changeBefore[i];
              if (c !== undefined) e.changeBefore = c;
              return e;
            }),
            structureLevel(),
          );
    // The whole-document score is diluted by a human part: the LLM side's own evidence can lift a
    // `human` verdict to `inconclusive`, so the boundary is shown rather than hidden.
    const sideLogit = structure
      ? llmSideLogit(
          p.segSpans.map((sp, i) => ({ words: sp.words, logit: segLogits[i]! })),
          structure,
        )
      : null;
    const sideP = sideLogit === null ? null : sigmoid(sideLogit);
    const verdict = verdictWithBoundary(docVerdict, sideP, band);
    let roleIdx = 0;
    if (verdict === 'llm') {
      roleIdx = structure ? roleFromStructure(structure.kind, doc.roleProbs) : decideRole(doc.roleProbs, 1, 0);
    }
    const role = ROLE_NAMES[roleIdx]!;
    const segments: SegmentResult[] = p.segSpans.map((sp, i) => {
      const o = segs[i] ?? doc;
      const sp_ = sigmoid(segLogits[i]! * temper);
      const onLlmSide = structure?.llmSide[i] ?? false;
      // In a text with a boundary, its LLM side carries the document's role; the other side reads human.
      const segVerdict: Verdict =
        structure && structure.kind !== 'uniform'
          ? onLlmSide
            ? verdict
            : verdictFor(sp_, { flag: Math.max(band.flag, 1 - 1e-9), floor: band.floor })
          : verdictFor(sp_, band);
      return {
        start: sp.start,
        end: sp.end,
        role: segVerdict === 'llm' ? (structure?.kind === 'uniform' ? role : onLlmSide ? role : 'human') : 'human',
        verdict: segVerdict,
        involvement: round(abstainReason ? o.involvement * 0.5 : combineInvolvement(o.involvement, sp_, threshold)),
        ai_probability: round(sp_),
        authorship_change: structure?.change[i] ?? false,
        word_count: sp.words,
      };
    });
    const meaning =
      abstainReason || !this.manifest.scoreDistribution
        ? null
        : scoreMeaning(this.manifest.scoreDistribution, p.wordCount, aiProbability);
    const result: DetectionResult = {
      verdict,
      operating_point: point,
      inconclusive_from: band.floor,
      role,
      structure: structure?.kind ?? null,
      score_meaning: meaning,
      role_probs: toRoleProbs(doc.roleProbs, temper),
      involvement,
      ai_probability: round(aiProbability),
      confidence_band: confidence,
      threshold,
      abstained: abstainReason !== undefined,
      caveat: '',
      word_count: p.wordCount,
      language: p.language,
      segments,
    };
    if (sideP !== null && structure?.firstLlm != null) {
      const first = p.segSpans[structure.firstLlm]!;
      result.llm_side = { ai_probability: round(sideP), opening: openingWords(p.text.slice(first.start, first.end)) };
    }
    if (abstainReason) result.abstain_reason = abstainReason;
    if (profile?.name) result.profile = profile.name;
    const agreed = agreeWithVerdict(result);
    agreed.caveat = caveatFor(agreed, MIN_WORDS);
    return agreed;
  }
}

/**
 * Band edges of an operating point. Strict: flag at the strict threshold, inconclusive from the
 * standard one. Standard: flag at the standard threshold, inconclusive from the standard floor.
 * A profile without standard thresholds (older ones) uses its strict threshold for both.
 */
export function bandFor(point: OperatingPoint, m: DetectorManifest, profile?: CalibrationProfile): VerdictBand {
  const strict = profile?.threshold ?? m.calibration.threshold;
  const standard = Math.min(
    strict,
    profile ? (profile.standardThreshold ?? strict) : (m.operatingPoints?.standard.threshold ?? strict),
  );
  const lowest = Math.min(
    standard,
    profile ? (profile.standardFloor ?? standard) : (m.inconclusiveFloor?.standard ?? standard),
  );
  if (point === 'standard') return { flag: standard, floor: lowest };
  return { flag: strict, floor: standard < strict ? standard : lowest };
}

interface Prepared {
  text: string;
  doc: SparseVec;
  segVecs: SparseVec[];
  segSpans: { start: number; end: number; words: number }[];
  /** Per segment, P(style change from the previous one); empty when not computed. */
  changeBefore: (number | undefined)[];
  wordCount: number;
  language: 'en' | 'other';
}

function prepareText(text: unknown, manifest: DetectorManifest, withSegments: boolean): Prepared {
  if (typeof text !== 'string') throw new DetectionError('bad_input', 'The text is missing or not a string.');
  if (text.trim().length === 0) throw new DetectionError('empty_text', 'The text is empty.');
  if (text.length > MAX_CHARS) {
    throw new DetectionError(
      'too_large',
      `The text is too long to analyse (over ${MAX_CHARS.toLocaleString('en')} characters).`,
      { chars: text.length },
    );
  }
  // The same rule as for imported documents and decoded files (one rule everywhere).
  if (textLooksBinary(text)) throw new DetectionError('binary_data', 'This looks like binary data, not text.');
  const a = analyze(text);
  if (a.tokens.length === 0) throw new DetectionError('empty_text', 'The text contains no words.');
  const language = guessLanguage(a.tokens);
  const doc = extractFeatures(text, manifest.spec, a);
  const segSpans = withSegments ? segmentText(text) : [];
  // One segment would only repeat the document verdict: it reuses the document's scores.
  const segTexts = segSpans.length > 1 ? segSpans.map((s) => text.slice(s.start, s.end)) : [];
  const segVecs = segTexts.map((t) => extractFeatures(t, manifest.spec));
  // Only the structure rule reads it; with its weight at 0 the analyzer's work would be wasted.
  const changeBefore = STYLE_CHANGE_WEIGHT !== 0 ? segmentChangeBefore(segTexts) : [];
  return { text, doc, segVecs, segSpans, changeBefore, wordCount: a.wordCount, language };
}

/** The first few words of a passage, for "the part from ‘…’ on" (ellipsis when cut). */
function openingWords(passage: string, n = 6): string {
  const w = passage.trim().split(/\s+/);
  return w.length > n ? `${w.slice(0, n).join(' ')}…` : w.join(' ');
}

/** Role probabilities, flattened towards uniform (p^t renormalized) when the detector abstains. */
function toRoleProbs(p: Float32Array, t = 1): RoleProbs {
  const q = Array.from(p, (v) => Math.pow(Math.max(v, 1e-9), t));
  const sum = q.reduce((a, b) => a + b, 0);
  const r = q.map((v) => round(v / sum));
  return { human: r[0]!, polished: r[1]!, extended: r[2]!, generated: r[3]! };
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
