/**
 * Multi-author stories stitched from real corpora in ../shared/data/detect (read at run time, never
 * copied): each "author" is one writer population of OUTFOX (student essays, gpt-3.5-turbo,
 * text-davinci-003, flan-t5-xxl), each part a run of consecutive sentences from one of that
 * author's essays. stories260K parts are too weak to test the analysis; these are real styles on
 * one genre, so topic gives fewer cues than across corpora.
 */
import fs from 'node:fs';
import path from 'node:path';
import { splitSentences } from '../../src-main/detection/text-units';
import { storyConfigSchema, type Story } from '../../src-main/stories/common/contract';
import { seededRandom } from '../../src-main/stories/dataset/split';

interface Record_ {
  text: string;
  generator: string | null;
  role: string;
  spans: Array<[number, number, string]> | null;
}

export function readJsonl(file: string): Record_[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record_);
}

/** Sentences of each essay per author (essays with at least 8 sentences). */
function authorsOf(detectDir: string): Map<string, string[][]> {
  const byAuthor = new Map<string, string[][]>();
  for (const r of readJsonl(path.join(detectDir, 'outfox-student-essays.jsonl'))) {
    const author = r.generator ?? 'student';
    const sentences = splitSentences(r.text).map((s) => r.text.slice(s.start, s.end).replace(/\s+/g, ' '));
    if (sentences.length < 8) continue;
    (byAuthor.get(author) ?? byAuthor.set(author, []).get(author)!).push(sentences);
  }
  return byAuthor;
}

export function corpusStories(detectDir: string, n: number, seed: number): Story[] {
  const byAuthor = authorsOf(detectDir);
  const names = [...byAuthor.keys()].sort();
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const k = 1 + Math.floor(rnd() * Math.min(4, names.length));
    const authors = [...names].sort(() => rnd() - 0.5).slice(0, k);
    const partsPer = k === 1 ? 3 : 1 + Math.floor(rnd() * 2);
    const essays = new Map(authors.map((a) => [a, pick(byAuthor.get(a)!)]));
    const cursor = new Map(authors.map((a) => [a, 0]));
    const parts = Array.from({ length: k * partsPer }, (_, index) => {
      const author = authors[index % k]!;
      const sents = essays.get(author)!;
      const take = 3 + Math.floor(rnd() * 3);
      let at = cursor.get(author)!;
      if (at + take > sents.length) at = 0;
      const text = sents.slice(at, at + take).join(' ');
      cursor.set(author, at + take);
      return {
        index,
        authorId: author,
        authorName: author,
        model: author === 'student' ? null : author,
        text,
        words: text.split(/\s+/).length,
        promptHash: null,
        promptTokens: 0,
        reusedTokens: 0,
        completionTokens: 0,
        timeToFirstTokenMs: null,
        totalMs: null,
        attempts: 1,
        generationId: null,
      };
    });
    return {
      id: `corpus-${i + 1}`,
      prompt: 'OUTFOX argumentative essay',
      promptSource: 'outfox-student-essays.jsonl',
      documentId: `corpus-${i + 1}`,
      authors: authors.map((a) => ({
        id: a,
        name: a,
        kind: a === 'student' ? ('human' as const) : ('model' as const),
        model: a === 'student' ? null : a,
        color: '#888888',
      })),
      config: storyConfigSchema.parse({ preset: 'corpus-stitched', seed: seed + i }),
      status: 'done' as const,
      parts,
      text: parts.map((p) => p.text).join('\n\n'),
      error: null,
      batchId: null,
      createdAt: 0,
      finishedAt: 0,
    };
  });
}
