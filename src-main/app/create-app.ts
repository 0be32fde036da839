import { AuthoringService } from '../authoring/authoring-service';
import { CheckService, createDetectorPool, registerCheckJobs } from '../checks';
import { JobRunner } from '../jobs';
import { openStore, type Store } from '../store';
import { DocumentService, registerDocumentJobs } from '../documents';
// Not the '../llm' barrel: it re-exports the local engine, which loads node-llama-cpp eagerly.
import { modelsDirFor } from '../llm/catalog';
import { registerModelDownloadJob } from '../llm/download';
import { openFileSecretStore, type SecretStore } from '../llm/keys';
import { LlmService } from '../llm/service';
import { CurationService } from '../library/curation/curation-service';
import { LibraryService, registerLibraryJobs } from '../library';
import { registerStoryJobs, StoryService } from '../stories';
import { registerStoryDatasetJobs, StoryDatasetService } from '../stories/dataset';
import { StyleChangeService } from '../style-change';

export interface App {
  readonly store: Store;
  readonly jobs: JobRunner;
  readonly documents: DocumentService;
  /** Co-authoring: edits, the hash-chained edit log, provenance, verification, bundles, reports. */
  readonly authoring: AuthoringService;
  /** Detection checks, batch jobs, reports and calibration profiles (detector in a worker thread). */
  readonly checks: CheckService;
  /** Providers, models, endpoints, authors and generation; created on first access. */
  readonly llm: LlmService;
  /** Multi-author stories: runs, batches (the `stories.batch` job) and the stored stories. */
  readonly stories: StoryService;
  /** Story datasets (the `stories.export` job) and a story's analysis beside its truth. */
  readonly storyDatasets: StoryDatasetService;
  /** Style change, author count and attribution (PAN tasks); used by stories and detection. */
  readonly styleChange: StyleChangeService;
  /** The reference library's index: ingestion jobs, BM25 / dense / hybrid retrieval, passages and pages. */
  readonly library: LibraryService;
  /** The library's curation log and the `personal` retriever learned from it. */
  readonly libraryCuration: CurationService;
  /** Stops jobs (they resume next start) and closes the database. */
  dispose(): Promise<void>;
}

export interface CreateAppOptions {
  dataDir: string;
  /** Start running queued/interrupted jobs right away (default true). */
  startJobs?: boolean;
  /** Where endpoint API keys live; default a 0600 file in the data folder (the Electron shell passes a safeStorage-backed one). */
  secrets?: SecretStore;
}

/** Wires the core services over one store. The shell, the web server and the CLI all start here. */
export function createApp(options: CreateAppOptions): App {
  const store = openStore({ dataDir: options.dataDir });
  const jobs = new JobRunner(store.db);
  const documents = new DocumentService(store.db, jobs);
  registerDocumentJobs(jobs, documents);
  const authoring = new AuthoringService(store.db);
  // The document list shows word counts and times: an applied edit batch is a document change too.
  authoring.onDidApply(({ documentId }) => documents.notifyChanged(documentId));
  let llm: LlmService | null = null;
  const getLlm = (): LlmService =>
    (llm ??= new LlmService({
      db: store.db,
      dataDir: store.dataDir,
      jobs,
      secrets: options.secrets ?? openFileSecretStore(store.dataDir),
    }));
  const detectorPool = createDetectorPool();
  // LM-assisted text checks score on the LLM service's local engine (one loaded copy per model).
  const checks = new CheckService(store.db, jobs, detectorPool, { lm: getLlm });
  registerCheckJobs(jobs, checks, detectorPool);
  registerModelDownloadJob(jobs, { modelsDir: modelsDirFor(store.dataDir) });
  const stories = new StoryService({ db: store.db, documents, authoring, llm: getLlm });
  registerStoryJobs(jobs, stories, { poolSize: (name) => getLlm().endpoints.poolMembers(name).length });
  const styleChange = new StyleChangeService({ dataDir: store.dataDir });
  const storyDatasets = new StoryDatasetService({ jobs, stories: () => stories, styleChange });
  registerStoryDatasetJobs(jobs, storyDatasets);
  const library = new LibraryService(store.db, jobs, { dataDir: store.dataDir });
  registerLibraryJobs(jobs, library);
  const libraryCuration = new CurationService(store.db, {
    authorGeneration: () => {
      const llm = getLlm();
      return {
        authors: llm.authors,
        generations: llm.generations,
        providers: { resolve: (r) => llm.resolveProvider(r) },
      };
    },
  });
  // Curation plugs into the index: excluded/pinned/rating on every hit, and the `personal` reranker.
  library.setCurationView(libraryCuration.view);
  library.registerReranker('personal', libraryCuration.rerank);
  libraryCuration.connect(
    async (query, k) => (await library.search({ query, k, retriever: 'hybrid', includeExcluded: true })).hits,
  );
  if (options.startJobs !== false) jobs.start();
  let disposed = false;
  return {
    store,
    jobs,
    documents,
    authoring,
    checks,
    stories,
    storyDatasets,
    styleChange,
    library,
    libraryCuration,
    get llm() {
      return getLlm();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await library.dispose();
      await llm?.dispose();
      await jobs.stop();
      await detectorPool.dispose();
      store.close();
    },
  };
}
