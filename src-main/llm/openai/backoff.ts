/** Retry timing for transient failures (rate limits, a server restarting, a dropped connection). */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3; 0 disables retrying). */
  maxRetries: number;
  /** First backoff step in ms (default 250); doubles per attempt. */
  baseDelayMs: number;
  /** Ceiling for one wait in ms (default 8000). A server asking for longer is not retried. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 8000 };

/**
 * Delay before retry number `attempt` (0-based): exponential backoff with "equal jitter" (half fixed, half random), so clients
 * that failed together do not retry together. A server's Retry-After wins when it is given.
 * Returns undefined when the server asks for a wait longer than the policy allows.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxDelayMs ? retryAfterMs : undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
