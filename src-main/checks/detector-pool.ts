/**
 * Runs the Detector off the main thread. Scoring is CPU-bound (feature extraction + ONNX), so a
 * long essay or a folder batch would otherwise freeze the API for every window and job.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  createDetector,
  DetectionError,
  recalibrate,
  type CalibrationProfile,
  type DetectOptions,
  type DetectionResult,
  type Detector,
} from '../detection';
import {
  decodePayload,
  toErrorData,
  type DetectManyItem,
  type WorkerErrorData,
  type WorkerInit,
  type WorkerReady,
  type WorkerRequest,
  type WorkerResponse,
} from './detector-protocol';

/** The detector's shipped defaults (threshold, calibration, minimum words). */
export type DetectorDefaults = Detector['defaults'];

/**
 * A Detector living somewhere else (a worker thread, or in-process as a fallback). Created lazily:
 * the model loads on the first request, not when the app starts.
 */
export interface DetectorPool {
  /**
   * Scores texts; errors are per item (a DetectionError for empty, binary or oversized text).
   * @throws DetectionError `model_missing` / `model_invalid` when the model cannot load, `disposed` after dispose().
   */
  detectMany(texts: readonly string[], opts?: DetectOptions): Promise<Array<DetectionResult | DetectionError>>;
  /** Fits a calibration profile on known-human and known-LLM texts (see detection's `recalibrate`). */
  recalibrate(
    texts: { human: readonly string[]; llm: readonly string[] },
    opts?: { targetFpr?: number; name?: string },
  ): Promise<CalibrationProfile>;
  /** Loads the model if needed and returns its defaults. @throws like detectMany. */
  defaults(): Promise<DetectorDefaults>;
  /** Where detection runs: 'worker' normally, 'in-process' when no worker entry could be found. */
  readonly mode: 'worker' | 'in-process';
  readonly disposed: boolean;
  /** Terminates the worker (or releases the in-process detector); pending requests reject with `disposed`. */
  dispose(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface DetectorPoolOptions {
  /** Folder holding detect/features.json (default: the shipped models/). */
  modelsDir?: string;
  /** onnxruntime threads in the worker (default 1: the other core stays free for the UI). */
  threads?: number;
  /** Force where detection runs (tests). Default: a worker when an entry file exists, else in-process. */
  mode?: 'worker' | 'in-process';
}

/** Starts nothing yet: the worker (or detector) is created on the first request. */
export function createDetectorPool(options: DetectorPoolOptions = {}): DetectorPool {
  const entry = options.mode === 'in-process' ? null : workerEntry();
  if (entry) return new WorkerDetectorPool(entry, options);
  if (options.mode === 'worker') throw new TypeError('No detector worker entry found (build with `npm run build`).');
  return new InProcessDetectorPool(options);
}

interface WorkerEntry {
  url: URL;
}

/**
 * Finds the worker's entry file next to this module. Three layouts exist:
 * - bundled CLI / web server: this code is inlined in out/cli/main.js and esbuild emitted
 *   out/cli/detector-worker.js beside it (scripts/build.mjs);
 * - Electron: inlined in out/main/index.js, with out/main/detector-worker.js from electron-vite;
 * - TypeScript sources (vitest, `tsx`): nothing is built, so the worker runs detector-worker.ts
 *   through a one-line ESM bootstrap that registers tsx's loader inside the worker first.
 *   (`execArgv: ['--import', 'tsx']` does not work: Node 20 applies --import per process, and
 *   the worker fails with ERR_UNKNOWN_FILE_EXTENSION.)
 * When none applies (TS sources without tsx installed), the pool runs in-process instead: the
 * UI thread is busy while scoring, but detection still works.
 */
function workerEntry(): WorkerEntry | null {
  const self = import.meta.url;
  if (!/\.ts$/.test(new URL(self).pathname)) {
    // '../' too: with code splitting this module may sit in a chunk folder below the entries.
    for (const rel of ['./detector-worker.js', '../detector-worker.js']) {
      const js = new URL(rel, self);
      if (existsSync(fileURLToPath(js))) return { url: js };
    }
    return null;
  }
  const ts = new URL('./detector-worker.ts', self);
  let tsxApi: string;
  try {
    // tsx's ESM register API; resolved by path because require.resolve picks its CJS build.
    const pkg = createRequire(self).resolve('tsx/package.json');
    tsxApi = pathToFileURL(path.join(path.dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
  } catch {
    return null;
  }
  if (!existsSync(fileURLToPath(ts)) || !existsSync(fileURLToPath(tsxApi))) return null;
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(ts.href)});`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(boot)}`) };
}

/** Omit over each member of a union (plain Omit collapses the union). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const disposedError = () => new DetectionError('disposed', 'Detection was shut down.');
const fromData = (e: WorkerErrorData) => new DetectionError(e.code, e.userMessage, e.details);

interface Pending {
  resolve(payload: ArrayBuffer): void;
  reject(e: DetectionError): void;
}

/** One lazily started worker thread; requests are answered in order. */
class WorkerDetectorPool implements DetectorPool {
  readonly mode = 'worker' as const;
  private worker: Worker | null = null;
  private ready: Promise<DetectorDefaults> | null = null;
  private rejectReady: ((e: DetectionError) => void) | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private isDisposed = false;

  constructor(
    private readonly entry: WorkerEntry,
    private readonly options: DetectorPoolOptions,
  ) {}

  get disposed(): boolean {
    return this.isDisposed;
  }

  async detectMany(
    texts: readonly string[],
    opts: DetectOptions = {},
  ): Promise<Array<DetectionResult | DetectionError>> {
    if (texts.length === 0) return [];
    const items = decodePayload<DetectManyItem[]>(await this.request({ op: 'detectMany', texts: [...texts], opts }));
    return items.map((i) => (i.ok ? i.result : fromData(i.error)));
  }

  async recalibrate(
    texts: { human: readonly string[]; llm: readonly string[] },
    opts: { targetFpr?: number; name?: string } = {},
  ): Promise<CalibrationProfile> {
    return decodePayload<CalibrationProfile>(
      await this.request({ op: 'recalibrate', human: [...texts.human], llm: [...texts.llm], opts }),
    );
  }

  defaults(): Promise<DetectorDefaults> {
    return this.start();
  }

  async dispose(): Promise<void> {
    if (this.isDisposed) return;
    this.isDisposed = true;
    const w = this.worker;
    this.worker = null;
    this.rejectReady?.(disposedError());
    this.failAll(disposedError());
    await w?.terminate();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  private async request(req: DistributiveOmit<WorkerRequest, 'id'>): Promise<ArrayBuffer> {
    await this.start();
    const worker = this.worker;
    if (!worker || this.isDisposed) throw disposedError();
    const id = this.nextId++;
    return new Promise<ArrayBuffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  /** Starts the worker once and waits for its model to load; after a load failure the next call retries. */
  private start(): Promise<DetectorDefaults> {
    if (this.isDisposed) return Promise.reject(disposedError());
    if (this.ready) return this.ready;
    const init: WorkerInit = { modelsDir: this.options.modelsDir, threads: this.options.threads ?? 1 };
    const worker = new Worker(this.entry.url, { workerData: init });
    // An idle worker must not keep the process (CLI, tests) alive: it stays ref'd while the model
    // loads and while requests are in flight, and is unref'd in between.
    this.worker = worker;
    this.ready = new Promise<DetectorDefaults>((resolve, reject) => {
      this.rejectReady = reject;
      worker.on('message', (msg: WorkerResponse | WorkerReady) => {
        if (msg.id === 0 && 'ready' in msg) {
          if (msg.ready) {
            if (this.pending.size === 0) worker.unref();
            resolve(msg.defaults);
          } else {
            // Model missing or broken: drop this worker so a later request retries (the model
            // may be installed meanwhile) instead of remembering the failure forever.
            reject(fromData(msg.error));
            this.worker = null;
            this.ready = null;
            void worker.terminate();
          }
          return;
        }
        const r = msg as WorkerResponse;
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        if (this.pending.size === 0) worker.unref();
        if (r.ok) p.resolve(r.payload);
        else p.reject(fromData(r.error));
      });
      const crashed = (e: DetectionError) => {
        if (this.worker !== worker) return; // an old worker we already let go of
        reject(e);
        this.failAll(e);
        // The next request starts a fresh worker.
        this.worker = null;
        this.ready = null;
      };
      worker.on('error', (e) =>
        crashed(
          new DetectionError(
            'internal',
            'The detection worker failed.',
            { message: String(e?.message ?? e) },
            { cause: e },
          ),
        ),
      );
      worker.on('exit', (code) => {
        if (!this.isDisposed)
          crashed(new DetectionError('internal', `The detection worker stopped unexpectedly (exit code ${code}).`));
      });
    });
    // Keep an unhandled load failure from crashing the process; callers see it via request().
    this.ready.catch(() => {});
    return this.ready;
  }

  private failAll(e: DetectionError): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/** Fallback when no worker entry exists: same contract, the detector runs on this thread. */
class InProcessDetectorPool implements DetectorPool {
  readonly mode = 'in-process' as const;
  private detector: Promise<Detector> | null = null;
  private isDisposed = false;

  constructor(private readonly options: DetectorPoolOptions) {}

  get disposed(): boolean {
    return this.isDisposed;
  }

  async detectMany(
    texts: readonly string[],
    opts: DetectOptions = {},
  ): Promise<Array<DetectionResult | DetectionError>> {
    return (await this.load()).detectMany(texts, opts);
  }

  async recalibrate(
    texts: { human: readonly string[]; llm: readonly string[] },
    opts: { targetFpr?: number; name?: string } = {},
  ): Promise<CalibrationProfile> {
    return recalibrate(await this.load(), texts, opts);
  }

  async defaults(): Promise<DetectorDefaults> {
    return (await this.load()).defaults;
  }

  async dispose(): Promise<void> {
    if (this.isDisposed) return;
    this.isDisposed = true;
    const d = this.detector;
    this.detector = null;
    await d?.then((x) => x.dispose()).catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  private load(): Promise<Detector> {
    if (this.isDisposed) return Promise.reject(disposedError());
    this.detector ??= createDetector({
      ...(this.options.modelsDir ? { modelsDir: this.options.modelsDir } : {}),
      threads: this.options.threads ?? 1,
    }).catch((e: unknown) => {
      this.detector = null; // retry next time (the model may be installed later)
      throw DetectionError.isInstance(e) ? e : fromData(toErrorData(e));
    });
    return this.detector;
  }
}
