import type { ModelInfo } from '../provider';
import { OpenAiCompatibleProvider, type OpenAiCompatibleOptions } from './openai-compatible-provider';

/** Ollama's default address on this machine. */
export const OLLAMA_DEFAULT_URL = 'http://127.0.0.1:11434';

/** What probing for Ollama found. */
export interface OllamaProbe {
  /** True when something answered like Ollama (or at least like an OpenAI-compatible server). */
  available: boolean;
  /** The origin probed, e.g. `http://127.0.0.1:11434`. */
  url: string;
  /** Models it serves (empty when unavailable or none pulled). */
  models: Array<ModelInfo & { sizeBytes?: number; family?: string; quantization?: string }>;
}

/**
 * Looks for a running Ollama with a short timeout (default 400 ms), so the app can offer its
 * models without any setup. Tries the native `/api/tags` first (it has sizes and quantization),
 * then `/v1/models`. Never throws: an absent Ollama is the normal case.
 */
export async function detectOllama(
  options: { url?: string; timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<OllamaProbe> {
  const url = (options.url ?? process.env.OLLAMA_HOST ?? OLLAMA_DEFAULT_URL).replace(/\/+$/, '');
  const origin = /^https?:\/\//.test(url) ? url : `http://${url}`;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 400;
  try {
    const res = await doFetch(`${origin}/api/tags`, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.ok) {
      const json = (await res.json()) as { models?: Array<Record<string, unknown>> };
      const models = (json.models ?? []).flatMap((m) => {
        const id = typeof m.model === 'string' ? m.model : typeof m.name === 'string' ? m.name : undefined;
        if (!id) return [];
        const details = (m.details ?? {}) as Record<string, unknown>;
        return [
          {
            id,
            ...(typeof m.size === 'number' ? { sizeBytes: m.size } : {}),
            ...(typeof details.family === 'string' ? { family: details.family } : {}),
            ...(typeof details.quantization_level === 'string' ? { quantization: details.quantization_level } : {}),
          },
        ];
      });
      return { available: true, url: origin, models };
    }
  } catch {
    // Not there, or not Ollama: try the OpenAI route below.
  }
  try {
    const provider = new OpenAiCompatibleProvider({
      baseUrl: `${origin}/v1`,
      connectTimeoutMs: timeoutMs,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const models = await provider.listModels(AbortSignal.timeout(timeoutMs));
    return { available: true, url: origin, models };
  } catch {
    return { available: false, url: origin, models: [] };
  }
}

/** A provider for Ollama's OpenAI-compatible API (id `ollama`). */
export function createOllamaProvider(
  options: Partial<OpenAiCompatibleOptions> & { url?: string } = {},
): OpenAiCompatibleProvider {
  const { url, ...rest } = options;
  const origin = (url ?? OLLAMA_DEFAULT_URL).replace(/\/+$/, '');
  // Ollama loads a model on its first request, which can take a while on a laptop.
  return new OpenAiCompatibleProvider({ id: 'ollama', connectTimeoutMs: 120_000, ...rest, baseUrl: `${origin}/v1` });
}
