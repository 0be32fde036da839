import type { GenerationSettings } from '../provider';

/**
 * Where a model author's text comes from: `local` (the bundled engine), `ollama`,
 * `endpoint:<endpoint id>` or `pool:<pool name>`.
 */
export type ProviderRef = string;

/** A human or model author as the editor shows it. */
export interface Author {
  id: string;
  kind: 'human' | 'model';
  name: string;
  /** CSS colour used to highlight this author's spans. */
  color: string;
  createdAt: number;
  /** Present for kind 'model'. */
  model?: ModelAuthorConfig;
}

/** How a model author generates. */
export interface ModelAuthorConfig {
  provider: ProviderRef;
  /** Model id as the provider knows it (`qwen2.5:0.5b`, `gpt-4o-mini`, an installed model id). */
  model: string;
  /** Default sampling; a call's settings override these field by field. */
  sampling: GenerationSettings;
  /** Persona sent as the system message of chat requests. */
  systemPrompt: string | null;
}

export interface CreateModelAuthorInput {
  name: string;
  color?: string;
  /** Defaults to `model_<random>`. */
  id?: string;
  provider: ProviderRef;
  model: string;
  sampling?: GenerationSettings;
  systemPrompt?: string | null;
}

export type UpdateModelAuthorInput = Partial<Omit<CreateModelAuthorInput, 'id'>>;

/** One generation as recorded in `generations`. */
export interface GenerationRecord {
  id: number;
  authorId: string | null;
  provider: string;
  model: string;
  settings: GenerationSettings;
  promptSha256: string;
  promptTokens: number;
  completionTokens: number;
  ttftMs: number | null;
  tokensPerSecond: number | null;
  totalMs: number;
  finishReason: 'stop' | 'length' | 'abort' | 'error';
  errorCode: string | null;
  documentId: string | null;
  createdAt: number;
}

export type NewGenerationRecord = Omit<GenerationRecord, 'id' | 'createdAt'>;

/** A remote OpenAI-compatible server, as stored (the key itself is in the SecretStore). */
export interface Endpoint {
  id: string;
  name: string;
  baseUrl: string;
  kind: 'openai' | 'ollama' | 'llama.cpp' | 'vllm' | 'lmstudio' | 'openai-compatible';
  /** SecretStore ref of the API key, or null when the server needs none. */
  keyRef: string | null;
  /** Endpoints with the same pool name are served together as provider `pool:<name>`. */
  pool: string | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}
