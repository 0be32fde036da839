/**
 * The Library view's state, one for the app's lifetime (a search and its curation survive leaving
 * the view): documents, search, curation and the passage open in its source, fed by the jobs
 * subscription for this view's add jobs.
 */
import { getContext, setContext } from 'svelte';
import { api } from '../../api/client';
import { LibraryCuration } from './curation-state.svelte';
import { LibraryDocuments } from './documents-state.svelte';
import { LibrarySearch } from './search-state.svelte';
import { PassageSource } from './source-state.svelte';

export class LibraryState {
  readonly documents = new LibraryDocuments();
  readonly search = new LibrarySearch();
  readonly curation = new LibraryCuration();
  readonly source = new PassageSource();
  private subs: Array<() => void> = [];

  constructor() {
    this.search.onCurated = () => {
      void this.curation.refreshPinned();
      void this.curation.refreshLog();
      void this.curation.refreshIntent();
    };
  }

  /** The view mounted: load what it shows and follow add jobs. */
  start(): void {
    void this.documents.refresh();
    void this.curation.refresh();
    const jobs = api.jobs.onDidChange.subscribe(undefined, {
      onData: (j) => this.documents.onJob(j),
      onError: () => {},
    });
    this.subs = [() => jobs.unsubscribe()];
    // Back in the view: catch up with add jobs that finished while it was not shown.
    for (const run of this.documents.runs) {
      void api.jobs.get
        .query({ id: run.jobId })
        .then((j) => this.documents.onJob(j))
        .catch(() => undefined);
    }
  }

  /** The view unmounted: stop following jobs; a removal waiting for Undo happens now. */
  stop(): void {
    for (const s of this.subs) s();
    this.subs = [];
    this.documents.commitRemoval();
  }

  /** Runs the search with the list's folder/tag filter. */
  runSearch(): Promise<void> {
    return this.search.run({ folder: this.documents.folder, tag: this.documents.tag });
  }
}

const KEY = Symbol('palimpsest.library');
let shared: LibraryState | null = null;

/** The Library view's state (created once, kept across mounts), shared with its components. */
export function setupLibrary(): LibraryState {
  return setContext(KEY, (shared ??= new LibraryState()));
}

/** The Library view's state; `who` names the caller for a helpful error when used outside the view. */
export function useLibrary(who: string): LibraryState {
  const state = getContext<LibraryState | undefined>(KEY);
  if (!state) throw new Error(`${who} must be used inside <LibraryView>`);
  return state;
}
