import { getContext, setContext } from 'svelte';
import type { Author } from '../../../../src-main/authorship';
import { authorColors } from '../../../../src-main/authorship/common/author-colors';
import { HUMAN_TURN, type StoryAuthor } from '../../../../src-main/stories/common/contract';
import { api, errorMessage } from '../../api/client';
import { toasts } from '../shell/toasts.svelte';
import { AnalysisState } from './analysis-state.svelte';
import type { StoryPreset, StoryPrompt } from './api-types';
import { ExportState } from './export-state.svelte';
import { LiveStories } from './live-stories.svelte';
import { RunSetup } from './run-setup.svelte';
import { StoryBrowser } from './story-browser.svelte';

export const STORIES_TABS = [
  { id: 'run', label: 'New run' },
  { id: 'browse', label: 'Stories' },
  { id: 'export', label: 'Export' },
] as const;
export type StoriesTab = (typeof STORIES_TABS)[number]['id'];

/** The human writer as the run form lists them. */
export const HUMAN_LABEL = 'me (human)';

/**
 * Everything the Stories view shows. Kept for the window's lifetime (not per mount), so a run
 * being watched, the form and the open story are still there after a visit to another view.
 */
export class StoriesState {
  tab = $state<StoriesTab>((localStorage.getItem('palimpsest.stories.tab') as StoriesTab) || 'run');
  authors = $state<Author[] | null>(null);
  presets = $state<StoryPreset[]>([]);
  builtIn = $state<StoryPrompt[]>([]);
  loadError = $state<string | null>(null);
  starting = $state(false);
  readonly setup = new RunSetup();
  readonly live = new LiveStories();
  readonly browser = new StoryBrowser();
  readonly exporter = new ExportState();
  readonly analysis = new AnalysisState();
  modelAuthors = $derived((this.authors ?? []).filter((a) => a.kind === 'model'));
  /** Registry colours, made distinct (the same rules as the editor's). */
  colors = $derived(authorColors((this.authors ?? []).map((a) => ({ authorId: a.id, color: a.color }))));
  private started = false;

  constructor() {
    this.live.onFinished = (id) => {
      void this.browser.refresh();
      void this.browser.reloadOpen(id);
    };
  }

  /** Loads the registry, presets and prompts once, and starts following stories and jobs. */
  start(): void {
    if (this.started) {
      void this.refreshAuthors();
      void this.browser.refresh();
      return;
    }
    this.started = true;
    this.live.start();
    this.exporter.start();
    void this.load();
    void this.browser.refresh();
    void this.analysis.loadModel();
  }

  private async load(): Promise<void> {
    try {
      const [presets, prompts] = await Promise.all([api.stories.presets.query(), api.stories.prompts.query()]);
      this.presets = presets;
      this.builtIn = prompts;
      this.setup.applyPreset(presets.find((p) => p.id === this.setup.presetId) ?? presets[0]);
      this.loadError = null;
    } catch (e) {
      this.loadError = errorMessage(e);
    }
    await this.refreshAuthors();
  }

  async refreshAuthors(): Promise<void> {
    try {
      this.authors = await api.llm.authors.query();
    } catch (e) {
      this.loadError = errorMessage(e);
    }
  }

  setTab(tab: StoriesTab): void {
    this.tab = tab;
    localStorage.setItem('palimpsest.stories.tab', tab);
  }

  /** A run-form author id as people read it. */
  authorName = (id: string): string =>
    id === HUMAN_TURN ? HUMAN_LABEL : (this.authors?.find((a) => a.id === id)?.name ?? 'Removed author');

  /** An author's colour: within a story, made distinct among its authors as the editor does. */
  authorColor = (id: string, story?: readonly StoryAuthor[]): string =>
    (story && storyColors(story).get(id)) ?? this.colors.get(id) ?? '#888888';

  /** Starts the single story or the batch the form describes, and follows it live. */
  async startRun(): Promise<void> {
    const setup = this.setup;
    if (this.starting || setup.problem(this.builtIn)) return;
    this.starting = true;
    try {
      if (setup.mode === 'single') {
        const { storyId } = await api.stories.run.mutate(setup.runInput());
        this.live.batchId = null;
        await this.live.follow(storyId);
      } else {
        const started = await api.stories.batch.mutate(setup.batchInput(this.builtIn));
        this.live.batchId = started.batchId;
        this.live.batchTotal = started.stories;
        toasts.show(`Batch started: ${started.stories} ${started.stories === 1 ? 'story' : 'stories'}.`);
      }
      void this.browser.refresh();
    } catch (e) {
      toasts.error(errorMessage(e));
    } finally {
      this.starting = false;
    }
  }

  /** Sends the human writer's part of a story waiting for it. */
  async submitHumanPart(storyId: string, text: string): Promise<boolean> {
    try {
      await api.stories.submitHumanPart.mutate({ storyId, text });
      await this.live.reload(storyId);
      return true;
    } catch (e) {
      toasts.error(errorMessage(e));
      return false;
    }
  }

  /** Reads a prompts file (txt, CSV, JSONL) through `stories.parsePrompts`. */
  async readPromptsFile(file: File): Promise<void> {
    try {
      const content = await file.text();
      const parsed = await api.stories.parsePrompts.mutate({ fileName: file.name, content });
      this.setup.file = { name: file.name, parsed };
      this.setup.pool = 'file';
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }
}

const colorCache = new WeakMap<readonly StoryAuthor[], ReadonlyMap<string, string>>();

/** Distinct colours for a story's authors (two authors with one stored colour get different ones). */
function storyColors(authors: readonly StoryAuthor[]): ReadonlyMap<string, string> {
  let colors = colorCache.get(authors);
  if (!colors) {
    colors = authorColors(authors.map((a) => ({ authorId: a.id, color: a.color })));
    colorCache.set(authors, colors);
  }
  return colors;
}

/**
 * The window's one Stories state, made when this module loads rather than inside the view: deriveds
 * created during a component's set-up go stale once it unmounts, and this state outlives the view.
 */
const shared = new StoriesState();
const KEY = Symbol('palimpsest.stories');

/** Shares the window's Stories state with the view's components. */
export function setupStories(): StoriesState {
  return setContext(KEY, shared);
}

export function useStories(who: string): StoriesState {
  const state = getContext<StoriesState | undefined>(KEY);
  if (!state) throw new Error(`${who} must be used inside <StoriesView>`);
  return state;
}
