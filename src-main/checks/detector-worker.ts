/**
 * Worker-thread entry: owns one Detector (one onnxruntime session) and answers DetectorPool
 * requests one at a time, so scoring never blocks the main thread (UI IPC, HTTP, jobs).
 * Built as its own bundle: out/cli/detector-worker.js (esbuild) and out/main/detector-worker.js
 * (electron-vite); under vitest/tsx it runs from this .ts file (see detector-pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDetector, DetectionError, recalibrate, type Detector } from '../detection';
import {
  encodePayload,
  toErrorData,
  type DetectManyItem,
  type WorkerInit,
  type WorkerReady,
  type WorkerRequest,
  type WorkerResponse,
} from './detector-protocol';

const port = parentPort;
if (!port) throw new Error('detector-worker.ts must run in a worker thread');

const init = (workerData ?? {}) as WorkerInit;
let detector: Detector | null = null;
let loadError: ReturnType<typeof toErrorData> | null = null;

try {
  detector = await createDetector({
    ...(init.modelsDir ? { modelsDir: init.modelsDir } : {}),
    threads: init.threads ?? 1,
  });
  port.postMessage({ id: 0, ready: true, defaults: detector.defaults } satisfies WorkerReady);
} catch (e) {
  loadError = toErrorData(DetectionError.from(e));
  port.postMessage({ id: 0, ready: false, error: loadError } satisfies WorkerReady);
}

async function handle(req: WorkerRequest): Promise<unknown> {
  if (!detector)
    throw new DetectionError(
      loadError?.code ?? 'model_missing',
      loadError?.userMessage ?? 'The detection model is not loaded.',
    );
  switch (req.op) {
    case 'detectMany': {
      const out = await detector.detectMany(req.texts, req.opts);
      return out.map((r): DetectManyItem =>
        DetectionError.isInstance(r) ? { ok: false, error: toErrorData(r) } : { ok: true, result: r },
      );
    }
    case 'recalibrate':
      return recalibrate(detector, { human: req.human, llm: req.llm }, req.opts);
    case 'defaults':
      return detector.defaults;
  }
}

// Requests are served strictly in order: one onnxruntime session, one request at a time.
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    let msg: WorkerResponse;
    try {
      msg = { id: req.id, ok: true, payload: encodePayload(await handle(req)) };
    } catch (e) {
      msg = { id: req.id, ok: false, error: toErrorData(e) };
    }
    port.postMessage(msg, msg.ok ? [msg.payload] : []);
  });
});
port.on('close', () => void detector?.dispose());
