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
  if (options.startJobs !== false) jobs.start();
  let disposed = false;
  return {
    store,
    jobs,
    documents,
    authoring,
    checks,
    get llm() {
      return getLlm();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await llm?.dispose();
      await jobs.stop();
      await detectorPool.dispose();
      store.close();
    },
  };
}
