import {
  HUMAN_TURN,
  MAX_STORY_AUTHORS,
  storyConfigSchema,
  type BatchOrders,
  type StoryConfig,
} from '../../../../src-main/stories/common/contract';
import { batchStoryCount, moveItem } from './batch-plan';
import type { BatchInput, ParsedPrompts, RunInput, StoryPreset, StoryPrompt } from './api-types';

/** Where a batch takes its prompts from. */
export type PromptPool = 'typed' | 'built-in' | 'file';

/** A prompts file read by `stories.parsePrompts`: its prompts and the lines it could not use. */
export interface PromptsFile {
  name: string;
  parsed: ParsedPrompts;
}

const withSource = (text: string, source: string | null) => (source ? { text, source } : { text });

/** The settings a preset starts from: its own, or the contract's defaults when it names none. */
export function presetConfig(preset: StoryPreset | undefined): StoryConfig {
  return structuredClone(preset?.config ?? storyConfigSchema.parse({ preset: 'custom' }));
}

/**
 * What the "New run" form holds: authors in order, the prompt (typed, built-in or from a file), the
 * preset and its editable settings, and for a batch the author sets and orders. It turns itself
 * into `stories.run` / `stories.batch` input; it calls nothing.
 */
export class RunSetup {
  authorIds = $state<string[]>([]);
  prompt = $state('');
  /** The built-in prompt id or file line the prompt came from; cleared when the text is edited. */
  promptSource = $state<string | null>(null);
  presetId = $state('collabstory');
  config = $state<StoryConfig>(storyConfigSchema.parse({}));
  /** True once a setting differs from the preset's (the run is then labelled 'custom'). */
  edited = $state(false);
  mode = $state<'single' | 'batch'>('single');
  authorSets = $state<string[][]>([]);
  orders = $state<BatchOrders>('given');
  pool = $state<PromptPool>('built-in');
  file = $state<PromptsFile | null>(null);

  canAddAuthor = $derived(this.authorIds.length < MAX_STORY_AUTHORS);
  hasHuman = $derived(this.authorIds.includes(HUMAN_TURN));

  /** Prompts a batch would use from the chosen pool. */
  batchPrompts(builtIn: readonly StoryPrompt[]): Array<{ text: string; source?: string }> {
    if (this.pool === 'typed') return this.prompt.trim() ? [withSource(this.prompt.trim(), this.promptSource)] : [];
    if (this.pool === 'built-in') return builtIn.map((p) => withSource(p.text, p.source));
    return (this.file?.parsed.prompts ?? []).map((p) => withSource(p.text, p.source));
  }

  /** The sets a batch runs: the sets added, or the current authors when none was added yet. */
  effectiveSets = $derived(
    this.authorSets.length > 0 ? this.authorSets : this.authorIds.length > 0 ? [this.authorIds] : [],
  );

  storyCount(builtIn: readonly StoryPrompt[]): number {
    return batchStoryCount(this.batchPrompts(builtIn).length, this.effectiveSets, this.orders);
  }

  addAuthor(id: string): void {
    if (!id || !this.canAddAuthor) return;
    if (id === HUMAN_TURN && this.hasHuman) return;
    this.authorIds = [...this.authorIds, id];
  }

  removeAuthor(index: number): void {
    this.authorIds = this.authorIds.filter((_, i) => i !== index);
  }

  moveAuthor(from: number, to: number): void {
    this.authorIds = moveItem(this.authorIds, from, to);
  }

  /** Adds the current authors, in their order, as one batch set (a set already listed is not added twice). */
  addSet(): void {
    if (this.authorIds.length === 0) return;
    const key = this.authorIds.join('\u0000');
    if (this.authorSets.some((s) => s.join('\u0000') === key)) return;
    this.authorSets = [...this.authorSets, [...this.authorIds]];
  }

  removeSet(index: number): void {
    this.authorSets = this.authorSets.filter((_, i) => i !== index);
  }

  usePrompt(text: string, source: string | null): void {
    this.prompt = text;
    this.promptSource = source;
  }

  typePrompt(text: string): void {
    this.prompt = text;
    this.promptSource = null;
  }

  applyPreset(preset: StoryPreset | undefined): void {
    this.presetId = preset?.id ?? 'collabstory';
    this.config = presetConfig(preset);
    this.edited = false;
  }

  /** Called on every settings edit: the settings are no longer the preset's own. */
  touch(): void {
    this.edited = true;
  }

  /** The config sent with the run: the preset's name only while its settings are untouched. */
  runConfig(): StoryConfig {
    const config = $state.snapshot(this.config) as StoryConfig;
    return { ...config, preset: this.edited ? 'custom' : this.presetId };
  }

  /** Why the run cannot start yet, or null. */
  problem(builtIn: readonly StoryPrompt[]): string | null {
    if (this.mode === 'single') {
      if (this.authorIds.length === 0) return 'Add at least one author.';
      if (!this.prompt.trim()) return 'Write or pick a prompt.';
      return null;
    }
    if (this.effectiveSets.length === 0) return 'Add at least one author set.';
    if (this.effectiveSets.some((s) => s.includes(HUMAN_TURN)))
      return 'A batch runs unattended: take “me (human)” out of its author sets.';
    if (this.batchPrompts(builtIn).length === 0)
      return this.pool === 'file' ? 'Choose a prompts file with at least one usable line.' : 'Write a prompt.';
    return null;
  }

  runInput(): RunInput {
    return {
      prompt: this.prompt.trim(),
      authorIds: [...this.authorIds],
      config: this.runConfig(),
      promptSource: this.promptSource,
    };
  }

  batchInput(builtIn: readonly StoryPrompt[]): BatchInput {
    return {
      prompts: this.batchPrompts(builtIn),
      authorSets: this.effectiveSets.map((s) => [...s]),
      orders: this.orders,
      config: this.runConfig(),
    };
  }
}
