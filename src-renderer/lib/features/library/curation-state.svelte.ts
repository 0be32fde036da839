/**
 * What the writer's curation adds up to: the pinned passages, the log of every action (the user's
 * own data, exported as JSONL), the personalization switches and the intent summary the library
 * has learned from recent curation.
 */
import type { CurationEvent } from '../../../../src-main/library/common/contract';
import { api, errorMessage } from '../../api/client';
import { saveFile } from '../../files/save-file';
import { toasts } from '../shell/toasts.svelte';

/** Log entries the view lists (the export has them all). */
const LOG_SHOWN = 200;

type Library = typeof api.library;
/** What the library has learned: favoured and avoided terms, how many curated passages it rests on. */
export type Intent = Awaited<ReturnType<Library['intent']['query']>>;
/** The switches and, once fitted, the personal model (how many queries and labelled passages it learned from). */
export type Personalization = Awaited<ReturnType<Library['personalization']['query']>>;
export type PinnedPassage = Awaited<ReturnType<Library['pinned']['query']>>[number];
type Author = Awaited<ReturnType<typeof api.llm.authors.query>>[number];

export interface PersonalizationSwitches {
  enabled: boolean;
  queryExpansion: boolean;
  /** The model author that writes the intent summary; null: term statistics. */
  intentAuthorId: string | null;
}

export class LibraryCuration {
  pinned = $state<PinnedPassage[]>([]);
  log = $state<CurationEvent[]>([]);
  /** Events in the whole log (the list shows the latest LOG_SHOWN). */
  logTotal = $state(0);
  personalization = $state<Personalization | null>(null);
  /** "What the library has learned you want" (library.intent); null until read. */
  intent = $state<Intent | null>(null);
  /** The intent is being read (a model author may take seconds to write it). */
  intentLoading = $state(false);
  /** Model authors that can write the intent summary (the authors the Models view manages). */
  modelAuthors = $state<Author[]>([]);
  exporting = $state(false);
  private intentSeq = 0;

  async refresh(): Promise<void> {
    await Promise.all([
      this.refreshPinned(),
      this.refreshLog(),
      this.refreshIntent(),
      this.refreshPersonalization(),
      this.refreshAuthors(),
    ]);
  }

  async refreshAuthors(): Promise<void> {
    try {
      this.modelAuthors = (await api.llm.authors.query()).filter((a) => a.kind === 'model');
    } catch {
      // Quietly: without the list the panel offers term statistics only.
      this.modelAuthors = [];
    }
  }

  async refreshPinned(): Promise<void> {
    try {
      this.pinned = await api.library.pinned.query();
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async refreshLog(): Promise<void> {
    try {
      const { events, total } = await api.library.curationLog.query({ limit: LOG_SHOWN });
      this.log = events;
      this.logTotal = total;
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async refreshIntent(): Promise<void> {
    const seq = ++this.intentSeq;
    this.intentLoading = true;
    try {
      const intent = await api.library.intent.query();
      if (seq === this.intentSeq) this.intent = intent;
    } catch {
      // Quietly: the intent is a hint; the panel says when there is none.
      if (seq === this.intentSeq) this.intent = null;
    } finally {
      if (seq === this.intentSeq) this.intentLoading = false;
    }
  }

  async refreshPersonalization(): Promise<void> {
    try {
      this.personalization = await api.library.personalization.query();
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  async setPersonalization(patch: Partial<PersonalizationSwitches>): Promise<void> {
    const before = this.personalization;
    if (before) this.personalization = { ...before, ...patch };
    try {
      // Only the switches: the procedure is strict, and `personalization` also carries the model.
      const saved = await api.library.setPersonalization.mutate({
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.queryExpansion !== undefined ? { queryExpansion: patch.queryExpansion } : {}),
        ...(patch.intentAuthorId !== undefined ? { intentAuthorId: patch.intentAuthorId } : {}),
      });
      this.personalization = { ...(this.personalization ?? { model: null }), ...saved };
      void this.refreshIntent();
    } catch (e) {
      this.personalization = before;
      toasts.error(errorMessage(e));
    }
  }

  /** Unpins a passage from the pinned panel (logged like an unpin from the result list). */
  async unpin(p: PinnedPassage): Promise<void> {
    try {
      await api.library.curate.mutate({ query: p.query, chunkId: p.id, action: 'unpin' });
      this.pinned = this.pinned.filter((x) => x.id !== p.id);
      void this.refreshLog();
    } catch (e) {
      toasts.error(errorMessage(e));
    }
  }

  /** Saves the whole log as a JSONL file (one event a line). */
  async exportLog(): Promise<void> {
    this.exporting = true;
    try {
      const { fileName, content } = await api.library.exportCuration.query();
      saveFile(fileName, content, 'application/x-ndjson;charset=utf-8');
    } catch (e) {
      toasts.error(errorMessage(e));
    } finally {
      this.exporting = false;
    }
  }
}
