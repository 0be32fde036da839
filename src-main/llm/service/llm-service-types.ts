import type { ProviderRef } from '../endpoints';
import type { ChatMessage, GenerationSettings, ModelInfo } from '../provider';

/** How one provider answered a health probe. */
export interface ProviderHealth {
  /** What an author's `provider` field holds: `local`, `ollama`, `endpoint:<id>`, `pool:<name>`. */
  ref: ProviderRef;
  /** Display name. */
  name: string;
  kind: 'local' | 'ollama' | 'endpoint';
  /** Base URL for remote providers, the models folder for the local engine. */
  location: string;
  reachable: boolean;
  /** ms the probe took (listing models); null when it was not reached. */
  latencyMs: number | null;
  models: ModelInfo[];
  /** Why it is unreachable, safe to show (keys redacted). */
  error?: string;
}

/** A GGUF file in the models folder, as the Models view lists it. */
export interface InstalledModelInfo {
  /** What the local engine takes as `model` (file path under the models folder without `.gguf`). */
  id: string;
  fileName: string;
  path: string;
  sizeBytes: number;
  /** `general.architecture`, e.g. `llama`. */
  architecture: string | null;
  /** `general.name` when present. */
  name: string | null;
  /** Weight type from `general.file_type` (`Q4_K_M`, `F32`, …); null when the file does not say. */
  quantization: string | null;
  /** Training context in tokens. */
  contextLength: number | null;
  /** `catalog`, `url` or `import` when Palimpsest installed it; null for a file copied in by hand. */
  source: 'catalog' | 'url' | 'import' | null;
  /** True when its SHA-256 matched a published checksum. */
  verified: boolean;
  /** The catalog entry it was downloaded as (also accepted as a model name), else null. */
  catalogId: string | null;
  /** Set when the header failed validation (truncated, not GGUF): the file cannot be used. */
  error?: string;
}

/** A catalog entry with what this machine can say about it. */
export interface CatalogModelInfo {
  id: string;
  name: string;
  family: string;
  parameters: string;
  quantization: string;
  contextLength: number;
  sizeBytes: number;
  licence: { id: string; name: string; url: string; note?: string };
  notes: string;
  /** The file it is installed as in the models folder. */
  fileName: string;
  /** False when `sizeBytes` is an estimate. */
  sizeIsExact: boolean;
  /** The published SHA-256 the download is checked against; null when none is published. */
  sha256: string | null;
  /** Estimated resident bytes at a 4096-token context, and `os.freemem()` now. */
  memory: { neededBytes: number; freeBytes: number; fits: boolean; tight: boolean };
  /** Whether the download is checked against a published SHA-256; the note says where it came from or why not. */
  checksum: { verified: boolean; note: string };
  /** The installed model id when its file is in the models folder. */
  installedId: string | null;
  /** The queued or running download job, if any. */
  downloadJobId: string | null;
}

/** An endpoint as the API shows it: the key is write-only, so only whether one is set. */
export interface EndpointInfo {
  id: string;
  name: string;
  baseUrl: string;
  kind: string;
  pool: string | null;
  enabled: boolean;
  hasKey: boolean;
}

export interface EndpointInput {
  name: string;
  baseUrl: string;
  /** Stored in the SecretStore, never returned. */
  apiKey?: string;
  pool?: string | null;
}

export interface EndpointPatch {
  name?: string;
  baseUrl?: string;
  /** A new key; `null` removes it; absent keeps the current one. */
  apiKey?: string | null;
  pool?: string | null;
}

export interface ImportModelInput {
  /** A `.gguf` file, or a llama2.c checkpoint (`*.bin`) on the machine running Palimpsest. */
  path: string;
  /** The llama2.c tokenizer; by default `tokenizer.bin` or `tok*.bin` beside the checkpoint. */
  tokenizerPath?: string;
  /** File name in the models folder (made safe; `.gguf` added); default from the source's name. */
  name?: string;
}

/** A GGUF download from a URL that is not in the catalog. */
export interface UrlDownloadInput {
  /** http(s) URL of a `.gguf` file. */
  url: string;
  /** File name in the models folder; default the URL's last path segment. Must end in `.gguf`. */
  fileName?: string;
  /** Expected SHA-256 (hex); absent installs the file unverified. */
  sha256?: string;
}

/** One generation: in an author's voice, or straight from a provider and model. */
export interface GenerateInput {
  authorId?: string;
  /** With `model`, when no author is given. */
  provider?: ProviderRef;
  model?: string;
  /**
   * An unsaved OpenAI-compatible server to use instead of `provider` (with `model`); recorded in the
   * generation log under this URL. `apiKey` is sent to it and stored nowhere.
   */
  baseUrl?: string;
  apiKey?: string;
  /** Chat user turn, or the text to continue in `completion` mode (may be empty there). */
  prompt?: string;
  /** A whole conversation instead of `prompt`. */
  messages?: ChatMessage[];
  /** Default `chat`. */
  mode?: 'chat' | 'completion';
  /** Overrides the author's sampling defaults field by field. */
  settings?: GenerationSettings;
  documentId?: string;
}
