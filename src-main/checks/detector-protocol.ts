/**
 * The message protocol between DetectorPool (main thread) and detector-worker.ts. Requests carry an
 * id; the worker answers each with exactly one response. Results travel as UTF-8 JSON in an
 * ArrayBuffer that is transferred, not copied (a batch of results with segments can be megabytes).
 * Errors travel as plain data because class identity does not survive postMessage.
 */
import type { CalibrationProfile, DetectOptions, DetectionErrorCode, Detector } from '../detection';

export type WorkerRequest =
  | { id: number; op: 'detectMany'; texts: string[]; opts: DetectOptions }
  | { id: number; op: 'recalibrate'; human: string[]; llm: string[]; opts: { targetFpr?: number; name?: string } }
  | { id: number; op: 'defaults' };

/** What a failed request carries back: the DetectionError's public fields. */
export interface WorkerErrorData {
  code: DetectionErrorCode;
  userMessage: string;
  details: Record<string, unknown>;
}

export type WorkerResponse =
  { id: number; ok: true; payload: ArrayBuffer } | { id: number; ok: false; error: WorkerErrorData };

/** Sent once by the worker: the detector loaded (or failed to: then every request fails with it). */
export type WorkerReady =
  { id: 0; ready: true; defaults: Detector['defaults'] } | { id: 0; ready: false; error: WorkerErrorData };

/** Data the worker is started with. */
export interface WorkerInit {
  modelsDir?: string;
  threads?: number;
}

/** One item of a `detectMany` answer: a result, or the per-text error. */
export type DetectManyItem =
  { ok: true; result: import('../detection').DetectionResult } | { ok: false; error: WorkerErrorData };

export type RecalibrateAnswer = CalibrationProfile;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON-encodes a value into a fresh ArrayBuffer that can be put in postMessage's transfer list. */
export function encodePayload(value: unknown): ArrayBuffer {
  const bytes = encoder.encode(JSON.stringify(value));
  // encode() may return a view on a larger pooled buffer: copy out exactly our bytes.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

export function decodePayload<T>(buf: ArrayBuffer): T {
  return JSON.parse(decoder.decode(new Uint8Array(buf))) as T;
}

/** Plain-data form of anything thrown (DetectionError keeps its code; others become `internal`). */
export function toErrorData(e: unknown): WorkerErrorData {
  const err = e as { code?: unknown; userMessage?: unknown; details?: unknown; message?: unknown };
  if (typeof err?.code === 'string' && typeof err.userMessage === 'string') {
    return {
      code: err.code as DetectionErrorCode,
      userMessage: err.userMessage,
      details: (err.details as Record<string, unknown>) ?? {},
    };
  }
  return {
    code: 'internal',
    userMessage: 'Detection failed unexpectedly.',
    details: { message: String(err?.message ?? e) },
  };
}
