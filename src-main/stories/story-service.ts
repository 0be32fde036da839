import type Database from 'better-sqlite3';
import { AppError } from '../core/app-error';
import { Emitter } from '../core/events';
import type { AuthoringService } from '../authoring/authoring-service';
import type { AuthorService } from '../authorship/author-service';
import { HUMAN_AUTHOR_ID } from '../authorship/common';
import { HUMAN_COLOR } from '../authorship/common/author-colors';
import { generateWithAuthor } from '../authorship/generate-with-author';
import type { GenerationLog } from '../authorship/generation-log';
import type { DocumentService } from '../documents';
import type { ProviderRef } from '../llm/endpoints/endpoint-types';
import type { LlmProvider } from '../llm/provider';
import { newId } from '../store/ids';
import {
  HUMAN_TURN,
  MAX_STORY_AUTHORS,
  type Story,
  type StoryAuthor,
  type StoryConfig,
  type StoryEvent,
  type StoryListFilter,
  type StoryPart,
  type StoryReader,
  type StoryStatus,
  type StorySummary,
} from './common/contract';
import { countStoryWords, lastSentence, titleFromPrompt } from './common/story-text';
import { extractiveSummary } from './generation/extractive-summary';
import { buildPartPrompt, partInstruction, type WrittenPart } from './generation/part-prompt';
import { writePart, type AuthorGenerate } from './generation/part-writer';
import { StoryStore } from './story-store';

/** What the service needs of the LLM capability (LlmService fits; tests pass a scripted provider). */
export interface StoryLlm {
  readonly authors: AuthorService;
  readonly generations: GenerationLog;
  resolveProvider(ref: ProviderRef): Promise<LlmProvider>;
}

export interface StoryServiceDeps {
  db: Database.Database;
  documents: DocumentService;
  authoring: AuthoringService;
  /** Created on first use (the app's LLM service loads nothing until asked). */
  llm: () => StoryLlm;
}

export interface NewStoryInput {
  prompt: string;
  promptSource?: string | null;
  /** Resolved authors (see `resolveAuthors`). */
  authors: StoryAuthor[];
  config: StoryConfig;
  batchId?: string | null;
  batchIndex?: number | null;
}

/** How a story run ended (its status is persisted by the caller, with the job's checkpoint). */
export interface StoryOutcome {
  status: StoryStatus;
  error: string | null;
}

/** An event with the batch its story belongs to, for `stories.events({batchId})`. */
export interface StoryEventEnvelope {
  batchId: string | null;
  event: StoryEvent;
}

/** Most words of a summary given to later authors by a model summarizer. */
const SUMMARY_MAX_TOKENS = 120;

/**
 * Multi-author stories: a prompt written by 1..5 authors in turn, each part generated through its
 * author (a generation row) and appended to the story's Write-view document as that author's
 * contribution. Runs go through the `stories.batch` job (batch-job.ts); this class writes one story
 * and stores it. Implements the contract's StoryReader for export and analysis.
 */
export class StoryService implements StoryReader {
  readonly store: StoryStore;
  private readonly events = new Emitter<StoryEventEnvelope>();
  /** Fires while stories are written (tokens included). */
  readonly onDidEmit = this.events.event;

  constructor(private readonly deps: StoryServiceDeps) {
    this.store = new StoryStore(deps.db);
  }

  // ---- reading ---------------------------------------------------------------------------------

  listStories(filter?: StoryListFilter): { items: StorySummary[]; total: number } {
    return this.store.list(filter);
  }

  getStory(id: string): Story {
    return this.store.get(id);
  }

  finishedStories(batchId?: string): Iterable<Story> {
    return this.store.finished(batchId);
  }

  /** Deletes a story and moves its document to the trash (its contributions stay verifiable there). */
  delete(id: string): void {
    const story = this.store.get(id);
    this.store.delete(id);
    try {
      this.deps.documents.delete(story.documentId);
    } catch (e) {
      if (!(AppError.isInstance(e) && e.code === 'not_found')) throw e;
    }
  }

  // ---- authors ---------------------------------------------------------------------------------

  /**
   * Authors by registry id or name (case-insensitive), `human` (HUMAN_TURN) for the writer's turn.
   * Throws AppError('bad_request') naming an unknown author, or for 0 or more than 5 authors.
   */
  resolveAuthors(idsOrNames: readonly string[]): StoryAuthor[] {
    if (idsOrNames.length < 1 || idsOrNames.length > MAX_STORY_AUTHORS) {
      throw new AppError('bad_request', `A story has 1 to ${MAX_STORY_AUTHORS} authors (got ${idsOrNames.length}).`);
    }
    const all = this.deps.llm().authors.list();
    return idsOrNames.map((raw) => {
      const key = raw.trim();
      if (key === HUMAN_TURN || key === HUMAN_AUTHOR_ID) {
        const human = all.find((a) => a.id === HUMAN_AUTHOR_ID);
        return {
          id: HUMAN_TURN,
          name: human?.name ?? 'You',
          kind: 'human',
          model: null,
          color: human?.color ?? HUMAN_COLOR,
        };
      }
      const author =
        all.find((a) => a.id === key) ??
        all.find((a) => a.name.toLowerCase() === key.toLowerCase() && a.kind === 'model');
      if (!author?.model) {
        throw new AppError(
          'bad_request',
          `Unknown author "${key}": use a model author's id or name, or ${HUMAN_TURN}.`,
          {
            author: key,
          },
        );
      }
      return {
        id: author.id,
        name: author.name,
        kind: 'model',
        model: `${author.model.provider}/${author.model.model}`,
        color: author.color,
      };
    });
  }

  /** The provider ref of a model author (for per-provider concurrency), null for the human. */
  providerOf(author: StoryAuthor): ProviderRef | null {
    if (author.kind === 'human') return null;
    return this.deps.llm().authors.get(author.id).model?.provider ?? null;
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** Stores a new story (status writing) and its empty document, in one transaction. */
  create(input: NewStoryInput): Story {
    const prompt = input.prompt.replace(/\s+/g, ' ').trim();
    if (!prompt) throw new AppError('bad_request', 'A story needs a prompt.');
    const id = newId('story');
    this.deps.db.transaction(() => {
      const doc = this.deps.documents.create({ title: titleFromPrompt(prompt) });
      this.store.insert({
        id,
        prompt,
        promptSource: input.promptSource ?? null,
        documentId: doc.id,
        authors: input.authors,
        config: input.config,
        batchId: input.batchId ?? null,
        batchIndex: input.batchIndex ?? null,
      });
    })();
    return this.store.get(id);
  }

  /**
   * Writes a story from its stored parts to the end, or up to the human writer's turn (then
   * `awaiting-human`, persisted here). Each part is committed with its document edit as it is
   * written, so a resumed run continues after the last stored part. Throws the abort reason when
   * `signal` aborts, and AppError/LlmError when a part cannot be written (the story then failed).
   */
  async write(storyId: string, signal?: AbortSignal): Promise<StoryOutcome> {
    const story = this.store.get(storyId);
    const { config, authors } = story;
    const total = authors.length * config.partsPerAuthor;
    const parts = [...story.parts];
    this.emit(story, { type: 'story-started', storyId, batchId: story.batchId });
    for (let index = parts.length; index < total; index++) {
      signal?.throwIfAborted();
      const author = authors[index % authors.length]!;
      if (author.kind === 'human') {
        this.store.setStatus(storyId, 'awaiting-human');
        this.emit(story, { type: 'story-done', storyId, status: 'awaiting-human', error: null });
        return { status: 'awaiting-human', error: null };
      }
      const part = await this.generatePart(story, parts, index, author, signal);
      this.commitPart(story, part);
      parts.push(part);
    }
    return { status: 'done', error: null };
  }

  /** Persists how a run ended and announces it (called inside the job's checkpoint transaction). */
  finish(storyId: string, outcome: StoryOutcome): void {
    if (!this.store.has(storyId)) return;
    const story = this.store.get(storyId);
    this.store.setStatus(storyId, outcome.status, outcome.error);
    this.emit(story, { type: 'story-done', storyId, status: outcome.status, error: outcome.error });
  }

  /**
   * Stores the human writer's part of a story awaiting it (a human contribution in the document).
   * Returns whether model parts follow (the caller then continues the run as a job).
   * Throws AppError 'conflict' when the story is not waiting for the writer, 'bad_request' for empty text.
   */
  submitHumanPart(storyId: string, text: string): { story: Story; continues: boolean } {
    const clean = text
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+/g, ' ')
      .replace(/\n{2,}/g, '\n')
      .trim();
    if (!clean) throw new AppError('bad_request', 'Write your part first.');
    const story = this.store.get(storyId);
    const total = story.authors.length * story.config.partsPerAuthor;
    const index = story.parts.length;
    const author = story.authors[index % story.authors.length];
    if (story.status !== 'awaiting-human' || author?.kind !== 'human' || index >= total) {
      throw new AppError('conflict', 'This story is not waiting for your part.', { status: story.status });
    }
    const part: StoryPart = {
      index,
      authorId: HUMAN_TURN,
      authorName: author.name,
      model: null,
      text: clean,
      words: countStoryWords(clean),
      promptHash: null,
      promptTokens: 0,
      reusedTokens: 0,
      completionTokens: 0,
      timeToFirstTokenMs: null,
      totalMs: null,
      attempts: 1,
      generationId: null,
    };
    const continues = index + 1 < total;
    this.deps.db.transaction(() => {
      this.commitPart(story, part);
      this.store.setStatus(storyId, continues ? 'writing' : 'done');
    })();
    if (!continues) this.emit(story, { type: 'story-done', storyId, status: 'done', error: null });
    return { story: this.store.get(storyId), continues };
  }

  private async generatePart(
    story: Story,
    previous: readonly StoryPart[],
    index: number,
    author: StoryAuthor,
    signal: AbortSignal | undefined,
  ): Promise<StoryPart> {
    const { config } = story;
    const llm = this.deps.llm();
    const registry = llm.authors.get(author.id);
    const total = story.authors.length * config.partsPerAuthor;
    const persona = (id: string): string =>
      id === HUMAN_TURN ? '' : (llm.authors.get(id).model?.systemPrompt ?? '').replace(/\s+/g, ' ').trim();
    const written: WrittenPart[] = previous.map((p) => ({ text: p.text }));
    const soFar = previous.map((p) => p.text).join(' ');
    const summary = config.context === 'summary' && index > 0 ? await this.summarize(story, soFar, signal) : undefined;
    const prompt = buildPartPrompt({
      config,
      storyPrompt: story.prompt,
      index,
      total,
      personas: story.authors.map((a) => persona(a.id)),
      previous: written,
      ...(summary !== undefined && { summary, lastSentence: lastSentence(soFar) }),
    });
    const generate: AuthorGenerate = (input) =>
      generateWithAuthor(
        {
          authors: llm.authors,
          generations: llm.generations,
          providers: { resolve: (ref) => llm.resolveProvider(ref) },
        },
        { ...input, mode: 'completion' },
      );
    const result = await writePart(generate, {
      config,
      index,
      authorId: author.id,
      authorName: author.name,
      prompt,
      echoes: [story.prompt, partInstruction(config, story.prompt, index, total)],
      // One KV sequence per story and model: every author on it continues the others' tokens.
      cacheKey: `story:${story.id}:${registry.model?.model ?? author.id}`,
      documentId: story.documentId,
      ...(signal && { signal }),
      onAttempt: (attempt) =>
        this.emit(story, { type: 'part-started', storyId: story.id, index, authorId: author.id, attempt }),
      onToken: (text) => this.emit(story, { type: 'token', storyId: story.id, index, text }),
    });
    return { index, authorId: author.id, authorName: author.name, model: author.model, ...result };
  }

  /** The story so far for summary mode: extractive (no model) or written by a model author. */
  private async summarize(story: Story, text: string, signal: AbortSignal | undefined): Promise<string> {
    const s = story.config.summarizer;
    if (s.kind === 'extractive') return extractiveSummary(text, s.sentences);
    const llm = this.deps.llm();
    let out = '';
    const stream = generateWithAuthor(
      { authors: llm.authors, generations: llm.generations, providers: { resolve: (ref) => llm.resolveProvider(ref) } },
      {
        authorId: s.authorId,
        mode: 'completion',
        prompt: `Story: ${text}\n\nSummarize the story above in 30 to 100 words.\nSummary:`,
        settings: {
          maxTokens: SUMMARY_MAX_TOKENS,
          temperature: 0,
          seed: story.config.seed,
          cacheKey: `story:${story.id}:summary`,
        },
        documentId: story.documentId,
        ...(signal && { signal }),
      },
    );
    for await (const part of stream) if (part.type === 'text') out += part.text;
    signal?.throwIfAborted();
    const summary = out.replace(/\s+/g, ' ').trim();
    // A summarizer that gives nothing falls back to the extractive summary rather than failing the story.
    return summary || extractiveSummary(text, 4);
  }

  /** Appends a part to the document (as its author's contribution) and stores it, atomically. */
  private commitPart(story: Story, part: StoryPart): void {
    this.deps.db.transaction(() => {
      const body = this.deps.documents.get(story.documentId).body;
      const human = part.authorId === HUMAN_TURN;
      this.deps.authoring.apply({
        documentId: story.documentId,
        edits: [
          {
            author: human ? HUMAN_AUTHOR_ID : part.authorId,
            kind: human ? 'human' : 'model',
            operation: human ? 'type' : part.index === 0 ? 'generate' : 'continue',
            from: body.length,
            to: body.length,
            // One paragraph per part in the Write view.
            insert: body.length > 0 ? `\n${part.text}` : part.text,
            ...(part.generationId !== null && { generationId: part.generationId }),
          },
        ],
      });
      this.store.insertPart(story.id, part);
    })();
    this.emit(story, { type: 'part-done', storyId: story.id, part });
  }

  private emit(story: Pick<Story, 'batchId'>, event: StoryEvent): void {
    this.events.fire({ batchId: story.batchId, event });
  }
}
