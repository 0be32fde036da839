/**
 * Tokenization, sentence and paragraph splitting shared by feature extraction, segmentation and
 * training. Pure functions, no allocation beyond the returned arrays.
 */

/** A run of text with its character offsets in the original string. */
export interface TextSpan {
  start: number;
  end: number;
}

// Han / Kana / Hangul characters count as one token each: those scripts have no spaces.
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const TOKEN_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Lower-cased word tokens; each CJK character is its own token. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    out.push(m[0].toLowerCase().replace(/’/g, "'"));
  }
  return out;
}

/** True when the token is a single CJK character. */
export function isCjkToken(t: string): boolean {
  return t.length === 1 && CJK.test(t);
}

/**
 * Word count as users understand it: whitespace words for alphabetic scripts, and CJK characters
 * divided by 1.5 (about the average Chinese word length) so the minimum-length rule is comparable.
 */
export function countWords(tokens: readonly string[]): number {
  let words = 0;
  let cjk = 0;
  for (const t of tokens) {
    if (isCjkToken(t)) cjk++;
    else words++;
  }
  return Math.round(words + cjk / 1.5);
}

/** Paragraph spans: blocks separated by blank lines (or single newlines when there are no blank lines). */
export function splitParagraphs(text: string): TextSpan[] {
  const sep = /\n\s*\n/.test(text) ? /\n\s*\n/g : /\n+/g;
  const spans: TextSpan[] = [];
  let last = 0;
  for (let m = sep.exec(text); m !== null; m = sep.exec(text)) {
    pushTrimmed(text, last, m.index, spans);
    last = m.index + m[0].length;
  }
  pushTrimmed(text, last, text.length, spans);
  return spans;
}

// Sentence end: . ! ? (or CJK full stops) followed by space/quote, or a newline.
const SENT_END = /[.!?。！？]+["'”’)\]]*(?=\s|$)|[。！？]|\n+/gu;

/** Sentence spans (heuristic, abbreviation-unaware: good enough for highlighting). */
export function splitSentences(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let last = 0;
  SENT_END.lastIndex = 0;
  for (let m = SENT_END.exec(text); m !== null; m = SENT_END.exec(text)) {
    const end = m.index + m[0].length;
    pushTrimmed(text, last, end, spans);
    last = end;
  }
  pushTrimmed(text, last, text.length, spans);
  return spans;
}

function pushTrimmed(text: string, start: number, end: number, out: TextSpan[]): void {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start) out.push({ start, end });
}
