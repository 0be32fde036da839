import crypto from 'node:crypto';
import { AppError } from '../../core/app-error';
import type { Passage } from '../../library/common/contract';
import { budgetReferences, citation, MAX_REFERENCE_PASSAGES, MAX_REFERENCE_WORDS } from '../common/reference-budget';
import { formatCount } from './context-window';

// The bound itself is a pure rule the editor's preview shares (common/reference-budget.ts).
export { citation, MAX_REFERENCE_PASSAGES, MAX_REFERENCE_WORDS };
const EXCERPT_CHARS = 280;

/** Where an operation's reference passages come from (the library's curation service fits). */
export interface ReferenceSource {
  /** Passages by chunk id, in the order asked; unknown ids are left out. */
  byIds(ids: readonly number[]): Passage[];
  /** The writer's pinned passages, newest pin first. */
  pinned(): Passage[];
}

/** A passage as it went into a prompt: what provenance and the report cite. */
export interface UsedPassage {
  chunkId: number;
  documentId: string;
  doc: string;
  chunk: number;
  page: number | null;
  /** sha256 (hex) of the text exactly as the model saw it (a cut passage: the cut text). */
  textSha256: string;
  excerpt: string;
  words: number;
  /** True when the word bound cut it. */
  cut: boolean;
}

export interface ReferenceBlock {
  used: UsedPassage[];
  /** The passages as prompt text (empty when there are none). */
  text: string;
  /** "3 library passages (1,204 words: a.pdf p. 3, notes.md #2, …)" for the context event. */
  description: string;
  words: number;
}

/**
 * Picks the passages for a request: `passages` (chunk ids, in order) or, with `usePinned`, the
 * pinned ones; bounded by MAX_REFERENCE_WORDS.
 * @throws AppError bad_request when passages were asked for and none exist (or there is no library),
 * or when more than MAX_REFERENCE_PASSAGES are named.
 */
export function referenceBlock(
  source: ReferenceSource | undefined,
  request: { passages?: readonly number[]; usePinned?: boolean },
  maxWords = MAX_REFERENCE_WORDS,
): ReferenceBlock {
  const empty: ReferenceBlock = { used: [], text: '', description: '', words: 0 };
  const asked = request.passages && request.passages.length > 0;
  if (!asked && !request.usePinned) return empty;
  if (!source) throw new AppError('unavailable', 'The library is not available here, so no passages can be used.');
  if (asked && request.passages!.length > MAX_REFERENCE_PASSAGES)
    throw new AppError('bad_request', `Use at most ${MAX_REFERENCE_PASSAGES} library passages at once.`);
  const passages = asked ? source.byIds([...new Set(request.passages)]) : source.pinned();
  if (passages.length === 0)
    throw new AppError(
      'bad_request',
      asked
        ? 'None of those library passages exist any more.'
        : 'No passages are pinned in the library yet: pin some first.',
    );
  const used: UsedPassage[] = [];
  const parts: string[] = [];
  let words = 0;
  for (const { passage: p, text, words: n, cut } of budgetReferences(passages, maxWords)) {
    words += n;
    used.push({
      chunkId: p.id,
      documentId: p.documentId,
      doc: p.doc,
      chunk: p.chunk,
      page: p.page,
      textSha256: crypto.createHash('sha256').update(text, 'utf8').digest('hex'),
      excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS).replace(/\s+\S*$/u, '')} …` : text,
      words: n,
      cut,
    });
    parts.push(`<reference n="${used.length}" source="${citation(p).replace(/"/g, "'")}">\n${text}\n</reference>`);
  }
  const names = used.slice(0, 3).map((u) => citation(u));
  const left = passages.length - used.length;
  const description =
    `${used.length} library passage${used.length === 1 ? '' : 's'} (${formatCount(words)} word${words === 1 ? '' : 's'}: ` +
    `${names.join(', ')}${used.length > 3 ? ', …' : ''})` +
    (left > 0 ? `; ${left} more left out by the ${formatCount(maxWords)}-word bound` : '');
  const text =
    'Reference passages from the writer’s library. Draw on them where they help; do not copy them at length.\n' +
    parts.join('\n');
  return { used, text, description, words };
}
