/**
 * Feature vectors must not change: the shipped ONNX weights (models/detect/detector.onnx) read
 * them by position. The snapshot (test-data/feature-snapshot.json) was written by the extractor the
 * model was trained with; regenerate it only together with a retrained model:
 * PALIMPSEST_UPDATE_FEATURE_SNAPSHOT=1 npx vitest run src-main/detection/features.test.ts
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerDictionary } from './dictionary';
import { STYLE_FEATURE_NAMES, analyze, extractFeatures, rawStyle, type FeatureSpec } from './features';
import type { DetectorManifest } from './manifest';
import { FEATURE_TEXTS } from './test-data/feature-texts';

const SNAPSHOT = path.join(__dirname, 'test-data', 'feature-snapshot.json');
const UPDATE = process.env['PALIMPSEST_UPDATE_FEATURE_SNAPSHOT'] === '1';
const SHARED = process.env['PALIMPSEST_SHARED'] ?? path.resolve(__dirname, '..', '..', '..', 'shared');
const DATA = path.join(SHARED, 'data', 'detect');

const shipped = (
  JSON.parse(
    readFileSync(path.join(__dirname, '..', '..', 'models', 'detect', 'features.json'), 'utf8'),
  ) as DetectorManifest
).spec;

registerDictionary(
  'snapshot-dict',
  'the a and of to in is it that school start early morning wake tired think first period go bed but have dog old sleeps day rain looks'.split(
    ' ',
  ),
);

/** Every style feature, every optional input (vocabulary, lexicon, dictionary) and every n-gram block. */
const FULL: FeatureSpec = {
  version: 1,
  hashBits: 6,
  wordNgrams: [1, 2],
  charNgrams: [3],
  skeletonNgrams: [2],
  // Ranks above 5000 count as rare: the last words sit there.
  vocab: [
    ...'the a and of to in is it that i school students sleep start'.split(' '),
    ...Array.from({ length: 5000 }, (_, i) => `filler${i}`),
    'multifaceted',
    'tapestry',
    'dog',
  ],
  lexicon: { ai: ['furthermore', 'moreover', 'crucial', 'ultimately'], human: ['honestly', 'dont', 'mom', 'anyway'] },
  dictionary: 'snapshot-dict',
  hashWeight: 0.7,
  style: [...STYLE_FEATURE_NAMES],
  styleMean: STYLE_FEATURE_NAMES.map((_, i) => (i % 7) / 50),
  styleStd: STYLE_FEATURE_NAMES.map((_, i) => 0.5 + (i % 5) / 10),
};

interface Snapshot {
  raw: Record<string, Record<string, number>>;
  full: Record<string, { idx: number[]; val: number[] }>;
  shipped: Record<string, { idx: number[]; val: number[] }>;
  /** sha256 over the first lines of each ../shared/data/detect file (raw style + shipped vector). */
  shared: Record<string, string>;
}

function rawByName(text: string): Record<string, number> {
  const v = rawStyle(text, FULL, analyze(text));
  return Object.fromEntries(FULL.style.map((n, i) => [n, v[i]!]));
}

function vector(text: string, spec: FeatureSpec): { idx: number[]; val: number[] } {
  const v = extractFeatures(text, spec, analyze(text));
  return { idx: Array.from(v.idx), val: Array.from(v.val) };
}

function sharedDigest(file: string): string {
  const h = createHash('sha256');
  const lines = readFileSync(path.join(DATA, file), 'utf8').split('\n').filter(Boolean).slice(0, 12);
  for (const line of lines) {
    const { text } = JSON.parse(line) as { text: string };
    const a = analyze(text);
    h.update(Buffer.from(rawStyle(text, FULL, a).buffer));
    const v = extractFeatures(text, shipped, a);
    h.update(Buffer.from(v.idx.buffer, v.idx.byteOffset, v.idx.byteLength));
    h.update(Buffer.from(v.val.buffer, v.val.byteOffset, v.val.byteLength));
  }
  return h.digest('hex');
}

function current(): Snapshot {
  const names = Object.keys(FEATURE_TEXTS);
  const shared = existsSync(DATA) ? Object.fromEntries(readdirJsonl().map((f) => [f, sharedDigest(f)])) : {};
  return {
    raw: Object.fromEntries(names.map((n) => [n, rawByName(FEATURE_TEXTS[n]!)])),
    full: Object.fromEntries(names.map((n) => [n, vector(FEATURE_TEXTS[n]!, FULL)])),
    shipped: Object.fromEntries(names.map((n) => [n, vector(FEATURE_TEXTS[n]!, shipped)])),
    shared,
  };
}

function readdirJsonl(): string[] {
  return [
    'mixset.jsonl',
    'outfox-student-essays.jsonl',
    'hppt-chatgpt-polish.jsonl',
    'hppt-chinese-polish.jsonl',
  ].filter((f) => existsSync(path.join(DATA, f)));
}

describe('feature vectors', () => {
  const now = current();
  if (UPDATE) writeFileSync(SNAPSHOT, JSON.stringify(now, null, 1) + '\n');
  const snap = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Snapshot;

  it('covers every style feature with a non-zero value somewhere', () => {
    for (const name of STYLE_FEATURE_NAMES.filter((n) => !n.startsWith('fw:'))) {
      expect(
        Object.values(snap.raw).some((r) => r[name] !== 0),
        name,
      ).toBe(true);
    }
  });

  it.each(Object.keys(FEATURE_TEXTS))('raw style values of "%s" are unchanged', (name) => {
    expect(now.raw[name]).toStrictEqual(snap.raw[name]);
  });

  it.each(Object.keys(FEATURE_TEXTS))('full and shipped vectors of "%s" are unchanged', (name) => {
    expect(now.full[name]).toStrictEqual(snap.full[name]);
    expect(now.shipped[name]).toStrictEqual(snap.shipped[name]);
  });

  it.skipIf(!existsSync(DATA))('vectors of ../shared/data/detect texts are unchanged', () => {
    expect(now.shared).toStrictEqual(snap.shared);
  });
});
