/**
 * Text rules of a story part, shared by the generator and the view: words, sentences, and the
 * CollabStory clean-up (echoed prompt stripped, unfinished last sentence dropped).
 */

/** Whitespace-separated words (as documents count them). */
export function countStoryWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** A sentence ends with . ! ? or … optionally followed by closing quotes or brackets. */
const SENTENCE_END = /[.!?…]+["'”’)\]]*/g;

/** Splits text into sentences (terminator kept); a trailing fragment without one is the last item. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].length;
    // "Mr." and decimals are rare in stories; a terminator must be followed by space or the end.
    if (end < text.length && !/\s/.test(text[end]!)) continue;
    const s = text.slice(start, end).trim();
    if (s) out.push(s);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/** True when the text ends with a sentence terminator. */
export function endsWithSentence(text: string): boolean {
  return /[.!?…]+["'”’)\]]*\s*$/.test(text);
}

/** Text up to and including its last finished sentence ('' when it has none). */
export function dropUnfinishedSentence(text: string): string {
  const trimmed = text.trimEnd();
  if (endsWithSentence(trimmed)) return trimmed;
  let cut = -1;
  for (const m of trimmed.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].length;
    if (end === trimmed.length || /\s/.test(trimmed[end]!)) cut = end;
  }
  return cut < 0 ? '' : trimmed.slice(0, cut);
}

/** The last sentence of a text ('' for empty text). */
export function lastSentence(text: string): string {
  return splitSentences(text).at(-1) ?? '';
}

export interface CleanPartOptions {
  dropUnfinishedSentence: boolean;
  /** Text the model may echo at the start (the story prompt, the instruction). */
  echoes?: readonly string[];
}

/**
 * A model's raw output as a story part: whitespace collapsed per paragraph into one paragraph,
 * an echoed prompt stripped, and (CollabStory) an unfinished last sentence dropped. When nothing
 * would remain of a non-empty output, the trimmed output is kept (the length rule then decides).
 */
export function cleanPart(raw: string, options: CleanPartOptions): string {
  let text = raw.replace(/\s+/g, ' ').trim();
  for (const echo of options.echoes ?? []) {
    const e = echo.replace(/\s+/g, ' ').trim();
    if (e && text.toLowerCase().startsWith(e.toLowerCase())) text = text.slice(e.length).trim();
  }
  if (!options.dropUnfinishedSentence) return text;
  return dropUnfinishedSentence(text) || text;
}

/**
 * Output that is not prose: no letters at all, or mostly symbols / replacement characters
 * (a broken model or a wrong tokenizer). Such a part is regenerated, never stored.
 */
export function looksLikeGarbage(text: string): boolean {
  const chars = text.replace(/\s/g, '');
  if (chars.length === 0) return true;
  const letters = chars.match(/\p{L}/gu)?.length ?? 0;
  const broken = chars.match(/\uFFFD/g)?.length ?? 0;
  return letters / chars.length < 0.5 || broken / chars.length > 0.05;
}

/** A document title from a story prompt: its first sentence, at most 80 characters. */
export function titleFromPrompt(prompt: string): string {
  const first = splitSentences(prompt.replace(/\s+/g, ' ').trim())[0] ?? 'Story';
  return first.length <= 80 ? first : `${first.slice(0, 77).trimEnd()}…`;
}
