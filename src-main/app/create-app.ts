import { JobRunner } from '../jobs';
import { openStore, type Store } from '../store';
import { DocumentService, registerDocumentJobs } from '../documents';

export interface App {
  readonly store: Store;
  readonly jobs: JobRunner;
  readonly documents: DocumentService;
  /** Stops jobs (they resume next start) and closes the database. */
  dispose(): Promise<void>;
}

export interface CreateAppOptions {
  dataDir: string;
  /** Start running queued/interrupted jobs right away (default true). */
  startJobs?: boolean;
}

/** Wires the core services over one store. The shell, the web server and the CLI all start here. */
export function createApp(options: CreateAppOptions): App {
  const store = openStore({ dataDir: options.dataDir });
  const jobs = new JobRunner(store.db);
  const documents = new DocumentService(store.db);
  registerDocumentJobs(jobs, documents);
  if (options.startJobs !== false) jobs.start();
  let disposed = false;
  return {
    store,
    jobs,
    documents,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await jobs.stop();
      store.close();
    },
  };
}
