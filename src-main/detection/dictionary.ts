/**
 * English word list for the misspelling-rate feature. Stored beside the model as one gzipped word
 * per line and registered by file name, so training (scripts/detect) and inference (detector.ts)
 * resolve `FeatureSpec.dictionary` to the same set.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const registry = new Map<string, ReadonlySet<string>>();

export function registerDictionary(name: string, words: Iterable<string>): ReadonlySet<string> {
  const set = new Set(words);
  registry.set(name, set);
  return set;
}

/** Reads a `.txt` or `.txt.gz` word list (one word per line) and registers it under `name`. */
export function loadDictionaryFile(name: string, file: string): ReadonlySet<string> {
  const cached = registry.get(name);
  if (cached) return cached;
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return registerDictionary(
    name,
    text
      .split('\n')
      .map((w) => w.trim())
      .filter(Boolean),
  );
}

/** The registered set; a spec naming an unregistered dictionary is a packaging error, not bad input. */
export function dictionaryWords(name: string): ReadonlySet<string> {
  const set = registry.get(name);
  if (!set) throw new Error(`detection dictionary "${name}" was not loaded`);
  return set;
}

// Apostrophe words (don't, it's), URLs, e-mail addresses and file names are not checked: their
// parts are not dictionary words.
const SKIP = /\S*[@/\\]\S*|\S+\.(?:com|org|net|txt|html?)\b|\b\w+['’]\w+\b/g;
const LOWER_WORD = /\b[a-z]{2,}\b/g;

/**
 * Share of all-lower-case words (so names and sentence starts are left out) missing from the
 * dictionary: misspellings, run-together and apostrophe-less words. LLMs practically never misspell;
 * hurried, young and non-native writers do, in every domain.
 */
export function misspellingRate(text: string, words: ReadonlySet<string>): { checked: number; missing: number } {
  let checked = 0;
  let missing = 0;
  for (const m of text.replace(SKIP, ' ').matchAll(LOWER_WORD)) {
    checked++;
    if (!words.has(m[0])) missing++;
  }
  return { checked, missing };
}
