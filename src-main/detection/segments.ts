/**
 * Splitting a document into the stretches the UI highlights: paragraphs when the text has them,
 * otherwise runs of sentences, merged until each has enough words to score.
 */
import { splitParagraphs, splitSentences, type TextSpan } from './text-units';

/** Segments shorter than this are merged with their neighbour: fewer words, noisier scores. */
export const SEGMENT_MIN_WORDS = 40;
/** Long paragraphs are split at sentence boundaries past this many words. */
export const SEGMENT_MAX_WORDS = 160;
/** Cap per document so one huge input cannot blow up the batch. */
export const MAX_SEGMENTS = 256;

function words(text: string, s: TextSpan): number {
  let c = 0;
  let inWord = false;
  for (let i = s.start; i < s.end; i++) {
    const code = text.charCodeAt(i);
    const space = code <= 32;
    if (code >= 0x3040 && code <= 0x9fff) c += 0.67;
    else if (!space && !inWord) c++;
    inWord = !space && !(code >= 0x3040 && code <= 0x9fff);
  }
  return Math.round(c);
}

/** Segment spans covering the text's content, in order. */
export function segmentText(text: string): (TextSpan & { words: number })[] {
  const units: (TextSpan & { words: number })[] = [];
  for (const p of splitParagraphs(text)) {
    const w = words(text, p);
    if (w <= SEGMENT_MAX_WORDS) {
      units.push({ ...p, words: w });
      continue;
    }
    // Long paragraph: split into sentence groups of about SEGMENT_MAX_WORDS / 2 words.
    let cur: (TextSpan & { words: number }) | null = null;
    for (const s of splitSentences(text.slice(p.start, p.end))) {
      const span = { start: p.start + s.start, end: p.start + s.end };
      const sw = words(text, span);
      if (cur && cur.words + sw > SEGMENT_MAX_WORDS / 2 && cur.words >= SEGMENT_MIN_WORDS) {
        units.push(cur);
        cur = null;
      }
      cur = cur ? { start: cur.start, end: span.end, words: cur.words + sw } : { ...span, words: sw };
    }
    if (cur) units.push(cur);
  }
  // Merge short units forward (a title joins its first paragraph), then a short tail backward.
  const out: (TextSpan & { words: number })[] = [];
  let acc: (TextSpan & { words: number }) | null = null;
  for (const u of units) {
    acc = acc ? { start: acc.start, end: u.end, words: acc.words + u.words } : { ...u };
    if (acc.words >= SEGMENT_MIN_WORDS) {
      out.push(acc);
      acc = null;
    }
  }
  if (acc) {
    const last = out[out.length - 1];
    if (last) out[out.length - 1] = { start: last.start, end: acc.end, words: last.words + acc.words };
    else out.push(acc);
  }
  if (out.length <= MAX_SEGMENTS) return out;
  // Too many: merge neighbours evenly.
  const k = Math.ceil(out.length / MAX_SEGMENTS);
  const merged: (TextSpan & { words: number })[] = [];
  for (let i = 0; i < out.length; i += k) {
    const group = out.slice(i, i + k);
    merged.push({
      start: group[0]!.start,
      end: group[group.length - 1]!.end,
      words: group.reduce((a, g) => a + g.words, 0),
    });
  }
  return merged;
}
