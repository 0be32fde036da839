import { generateWithAuthor, type GenerateWithAuthorDeps } from '../../authorship/generate-with-author';
import type { ChatMessage } from '../../llm/provider';
import type { CuratedItem } from './features';
import { stem, terms as stemmedTerms, words } from './text-terms';

/** Most words of curation material sent to the model (queries and passage excerpts together). */
export const INTENT_INPUT_WORDS = 1_500;
/** Most tokens the model may write: one sentence and a line of terms. */
export const INTENT_MAX_TOKENS = 120;
/** Most search terms kept from the reply. */
export const INTENT_MAX_TERMS = 6;
/** Most words of one passage's excerpt (so a few long passages cannot fill the whole budget). */
const EXCERPT_WORDS = 120;
/** Most distinct recent queries listed. */
const MAX_QUERIES = 20;
/** A model that does not answer within this long counts as unreachable (a local CPU model included). */
const DEFAULT_TIMEOUT_MS = 60_000;

const INSTRUCTIONS =
  'You summarise what a writer is looking for in their reference library, from their recent searches and ' +
  'the passages they pinned (wanted) or excluded (not wanted). Reply with exactly two lines and nothing else:\n' +
  'Summary: <one sentence saying what the writer is looking for>\n' +
  'Terms: <up to 6 single search words, separated by commas>';

/** The model's reading of the curation, parsed and checked. */
export interface ModelIntentReply {
  summary: string;
  /** Words that occur in the library or the curated passages, in the model's order. */
  terms: string[];
}

/**
 * The chat sent to the intent author: fixed instructions (as the system turn, so the author's
 * persona does not reword the format) and the material, bounded to INTENT_INPUT_WORDS words:
 * the recent queries first, then excerpts of pinned / well-rated and excluded / badly-rated passages.
 */
export function intentPrompt(items: readonly CuratedItem[], recentQueries: readonly string[]): ChatMessage[] {
  let budget = INTENT_INPUT_WORDS;
  const take = (text: string, most: number): string | null => {
    const w = text.split(/\s+/u).filter(Boolean);
    const n = Math.min(w.length, most, budget);
    if (n <= 0) return null;
    budget -= n;
    return w.slice(0, n).join(' ') + (n < w.length ? ' …' : '');
  };
  const queries: string[] = [];
  const seen = new Set<string>();
  for (const q of recentQueries) {
    const key = q.trim().toLowerCase();
    if (!key || seen.has(key) || queries.length >= MAX_QUERIES) continue;
    seen.add(key);
    const t = take(q.trim(), 30);
    if (t) queries.push(`- ${t}`);
  }
  const wanted = items.filter((i) => i.pinned || (i.rating ?? 0) >= 4);
  const unwanted = items.filter((i) => !wanted.includes(i) && (i.excluded || (i.rating ?? 6) <= 2));
  const excerpts = (group: readonly CuratedItem[]) =>
    group.flatMap((i, n) => {
      const t = take(i.text.replace(/\s+/gu, ' ').trim(), EXCERPT_WORDS);
      return t ? [`[${n + 1}] ${t}`] : [];
    });
  const pinned = excerpts(wanted);
  const excluded = excerpts(unwanted);
  const parts = [
    `Recent searches:\n${queries.join('\n') || '(none)'}`,
    `Pinned passages (wanted):\n${pinned.join('\n') || '(none)'}`,
    `Excluded passages (not wanted):\n${excluded.join('\n') || '(none)'}`,
    'Reply with the two lines only.',
  ];
  return [
    { role: 'system', content: INSTRUCTIONS },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/**
 * Reads "Summary: …\nTerms: a, b, c" out of a reply that may add markdown, bullets, extra lines or
 * a phrase instead of a word. A term is kept when each of its content words occurs in the curated
 * passages or `inVocabulary` (the library's index) says so; others are dropped.
 * @throws Error saying what was wrong (no summary line, no usable term).
 */
export function parseIntentReply(
  reply: string,
  curatedTexts: readonly string[],
  inVocabulary: (word: string) => boolean,
): ModelIntentReply {
  const text = reply.replace(/[*_`#]+/gu, '').replace(/\r/gu, '');
  const summaryAt = /(?:^|\n)\s*(?:[-•]\s*)?summary\s*[:：–-]\s*/iu.exec(text);
  const termsAt = /(?:^|\n|\s)(?:[-•]\s*)?(?:search\s+)?terms?\s*[:：–-]\s*/iu.exec(text);
  if (!summaryAt) throw new Error('its reply had no "Summary:" line');
  const summaryEnd = termsAt && termsAt.index > summaryAt.index ? termsAt.index : text.length;
  const summary = firstSentence(text.slice(summaryAt.index + summaryAt[0].length, summaryEnd));
  if (words(summary).length < 2 || !/\p{L}{3}/u.test(summary)) throw new Error('its summary was empty or unreadable');
  if (!termsAt) throw new Error('its reply had no "Terms:" line');
  const curated = new Set(curatedTexts.flatMap((t) => stemmedTerms(t)));
  const known = (w: string) => curated.has(stem(w)) || inVocabulary(w);
  const out: string[] = [];
  const stems = new Set<string>();
  const listed = text
    .slice(termsAt.index + termsAt[0].length)
    .split(/\n\s*\n|\n(?=\s*\p{L}+\s*[:：])/u)[0]!
    .split(/[,;|/\n•·]|\band\b/u);
  for (const raw of listed) {
    for (const w of words(raw)) {
      const s = stem(w);
      if (stems.has(s) || !known(w)) continue;
      stems.add(s);
      out.push(w);
      if (out.length >= INTENT_MAX_TERMS) break;
    }
    if (out.length >= INTENT_MAX_TERMS) break;
  }
  if (out.length === 0) throw new Error('none of the terms it gave occur in the library');
  return { summary, terms: out };
}

/** The first sentence of a run of text (whitespace collapsed, at most 300 characters). */
function firstSentence(s: string): string {
  const flat = s.replace(/\s+/gu, ' ').trim();
  const m = /^.*?[.!?](?=\s|$)/u.exec(flat);
  const sentence = (m ? m[0] : flat).slice(0, 300).trim();
  return sentence && !/[.!?…]$/u.test(sentence) ? `${sentence}.` : sentence;
}

/** A model author's summary, or why there is none. */
export type ModelIntentResult =
  | { ok: true; authorId: string; authorName: string; summary: string; terms: string[]; generationId: number }
  | { ok: false; authorId: string; authorName: string | null; reason: string };

export interface ModelIntentDeps {
  /** How to generate as an author (resolved lazily: the LLM service starts on first use). */
  generation: () => GenerateWithAuthorDeps;
  /** Whether a word occurs in the library's index (its FTS5 vocabulary). */
  inVocabulary: (word: string) => boolean;
  timeoutMs?: number;
}

/**
 * Asks a model author what the recent curation says the writer is after, once per (curation-log
 * version, author): searches reuse the answer until the log changes. Failures are cached the same
 * way (an unreachable server is not asked again on every search) and reported as a reason, never
 * thrown: the caller falls back to term statistics.
 */
export class ModelIntent {
  private cached: { key: string; result: Promise<ModelIntentResult> } | null = null;

  constructor(private readonly deps: ModelIntentDeps) {}

  /** Forgets the cached answer (the author or its settings changed). */
  invalidate(): void {
    this.cached = null;
  }

  summarise(
    authorId: string,
    version: number,
    items: readonly CuratedItem[],
    recentQueries: () => readonly string[],
  ): Promise<ModelIntentResult> {
    let deps: GenerateWithAuthorDeps;
    let authorName: string | null = null;
    let model = '';
    try {
      deps = this.deps.generation();
      const author = deps.authors.get(authorId);
      authorName = author.name;
      if (!author.model) return Promise.resolve({ ok: false, authorId, authorName, reason: 'not a model author' });
      model = `${JSON.stringify(author.model.provider)}:${author.model.model}`;
    } catch {
      return Promise.resolve({ ok: false, authorId, authorName, reason: 'the author no longer exists' });
    }
    const key = `${version}\u0000${authorId}\u0000${model}`;
    if (this.cached?.key === key) return this.cached.result;
    const result = this.ask(deps, authorId, authorName, items, recentQueries());
    this.cached = { key, result };
    return result;
  }

  private async ask(
    deps: GenerateWithAuthorDeps,
    authorId: string,
    authorName: string,
    items: readonly CuratedItem[],
    queries: readonly string[],
  ): Promise<ModelIntentResult> {
    const signal = AbortSignal.timeout(this.deps.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let reply = '';
    let generationId: number;
    try {
      const stream = generateWithAuthor(deps, {
        authorId,
        prompt: intentPrompt(items, queries),
        settings: { maxTokens: INTENT_MAX_TOKENS, temperature: 0 },
        signal,
      });
      for (;;) {
        const next = await stream.next();
        if (next.done) {
          generationId = next.value;
          break;
        }
        if (next.value.type === 'text') reply += next.value.text;
        else if (next.value.reason === 'abort' && signal.aborted)
          return { ok: false, authorId, authorName, reason: 'it did not answer in time' };
      }
    } catch (e) {
      return { ok: false, authorId, authorName, reason: e instanceof Error ? e.message : String(e) };
    }
    try {
      const parsed = parseIntentReply(
        reply,
        items.map((i) => i.text),
        this.deps.inVocabulary,
      );
      return { ok: true, authorId, authorName, ...parsed, generationId };
    } catch (e) {
      return { ok: false, authorId, authorName, reason: (e as Error).message };
    }
  }
}
