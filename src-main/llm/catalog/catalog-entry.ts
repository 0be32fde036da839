/** One curated downloadable model. */
export interface CatalogEntry {
  /** Stable id used by `palimpsest models pull <id>`. */
  id: string;
  /** Display name. */
  name: string;
  family: string;
  /** Parameter count as published, e.g. `0.5B`. */
  parameters: string;
  /** GGUF quantization type of the file, e.g. `Q4_K_M`. */
  quantization: string;
  /** Context length the model was trained for, in tokens. */
  contextLength: number;
  /** File size in bytes. Exact when `sizeIsExact`, otherwise rounded (the server's Content-Length wins). */
  sizeBytes: number;
  sizeIsExact: boolean;
  /** KV-cache bytes per token of context at f16 (layers × KV heads × head dim × 2 × 2), for memory estimates. */
  kvBytesPerToken: number;
  licence: { id: string; name: string; url: string; note?: string };
  /** Direct download URL (a Hugging Face `resolve` URL). */
  url: string;
  fileName: string;
  /**
   * SHA-256 of the file (hex). `null` when no published value could be found: then `checksumNote`
   * says so, and the UI/CLI must present the download as unverified.
   */
  sha256: string | null;
  /** Where the checksum came from, or why there is none. */
  checksumNote: string;
  /** Why it is in the catalog: what it is good for in co-writing. */
  notes: string;
}
