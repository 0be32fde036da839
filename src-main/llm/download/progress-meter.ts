/** Download progress as shown to the user. */
export interface DownloadProgress {
  /** Bytes of the file on disk so far (including bytes from an earlier, resumed attempt). */
  bytes: number;
  /** Full size when known. */
  total: number | undefined;
  /** Recent throughput (over the last few seconds), bytes/s. */
  bytesPerSecond: number;
  /** Estimated ms left, when total and speed are known. */
  etaMs: number | undefined;
}

/**
 * Speed over a sliding window rather than since the start: after a resume or a stall the
 * average since the start would lie about the ETA for minutes.
 */
export class ProgressMeter {
  private samples: Array<{ t: number; bytes: number }> = [];

  constructor(
    private readonly windowMs = 3000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records the byte count now and returns the progress snapshot. */
  sample(bytes: number, total: number | undefined): DownloadProgress {
    const t = this.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const dt = t - first.t;
    const bytesPerSecond = dt > 0 ? ((bytes - first.bytes) * 1000) / dt : 0;
    const etaMs =
      total !== undefined && bytesPerSecond > 0 ? Math.max(0, ((total - bytes) / bytesPerSecond) * 1000) : undefined;
    return { bytes, total, bytesPerSecond, etaMs };
  }

  /** Forget history (after a reconnect the old rate says nothing). */
  reset(): void {
    this.samples = [];
  }
}

/** `1.2 GB`, `350 MB`, `12 kB` (SI units, as download sizes are quoted on Hugging Face). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}
