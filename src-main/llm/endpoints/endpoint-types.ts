/**
 * Where a model author's text comes from: `local` (the bundled engine), `ollama`,
 * `endpoint:<endpoint id>` or `pool:<pool name>`.
 */
export type ProviderRef = string;

/** A remote OpenAI-compatible server, as stored (the key itself is in the SecretStore). */
export interface Endpoint {
  id: string;
  name: string;
  /** http(s) URL with the API prefix; never carries a query string, fragment or credentials. */
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
