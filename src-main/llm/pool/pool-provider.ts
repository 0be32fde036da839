import { LlmError } from '../errors';
import type { GenerationPart, GenerationRequest, LlmProvider, ModelInfo } from '../provider';

/** One endpoint of a pool. */
export interface PoolMember {
  /** Stable id shown in status, e.g. the endpoint id. */
  id: string;
  provider: LlmProvider;
}

export interface PoolOptions {
  /** Provider id of the pool, e.g. `pool:lab`. */
  id: string;
  members: readonly PoolMember[];
  /** `least-in-flight` (default; ties go round robin) or plain `round-robin`. */
  strategy?: 'least-in-flight' | 'round-robin';
  /** ms an endpoint that failed to connect stays out of rotation before it is tried again (default 30 000). */
  retryDownAfterMs?: number;
  /** Probe down endpoints with `listModels` this often, in ms (default 0: only lazily, on the next request after `retryDownAfterMs`). */
  healthCheckIntervalMs?: number;
  /**
   * Index of the member tried first (default: a random one). A pool built per one-shot process
   * (a CLI call) would otherwise send every call to its first member.
   */
  startAt?: number;
  /**
   * Where the rotation and down-marks outlive this object (the CLI builds a pool per call). Read
   * once at construction, written after each pick and health change. Overrides `startAt`.
   */
  memory?: PoolMemory;
  /** Epoch-ms clock, for tests. */
  now?: () => number;
}

/** What a pool remembers between processes: whom to try next, and who is down until when. */
export interface PoolSnapshot {
  /** Member id to try first. */
  next?: string;
  down?: Record<string, { until: number; code: string; userMessage: string }>;
}

/** Storage for a PoolSnapshot (the app keeps it in the `settings` table). */
export interface PoolMemory {
  read(): PoolSnapshot | undefined;
  write(snapshot: PoolSnapshot): void;
}

/** The pool's view of one member, for status displays. */
export interface PoolMemberStatus {
  id: string;
  up: boolean;
  inFlight: number;
  /** Epoch ms until which the member is skipped; 0 when up. */
  downUntil: number;
  lastError?: { code: string; userMessage: string };
}

interface MemberState extends PoolMemberStatus {
  provider: LlmProvider;
}

/** Failures that say "this endpoint, not the request, is the problem": try another one. */
const FAILOVER = new Set(['unreachable', 'timeout', 'rate_limited', 'model_missing']);

/**
 * Several endpoints behaving as one provider. Each generation goes to the healthy endpoint with
 * the fewest requests in flight; an endpoint that cannot be reached is marked down and the same
 * request moves to the next one, as long as no text was streamed yet (a half-told story is never
 * restarted elsewhere). Down endpoints are retried after `retryDownAfterMs`.
 *
 * Give members few or no retries of their own, so fail-over is quick.
 */
export class PoolProvider implements LlmProvider {
  readonly id: string;
  private readonly members: MemberState[];
  private readonly strategy: 'least-in-flight' | 'round-robin';
  private readonly retryDownAfterMs: number;
  private readonly now: () => number;
  private readonly memory: PoolMemory | undefined;
  private cursor: number;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private disposed = false;

  constructor(options: PoolOptions) {
    if (options.members.length === 0) throw new TypeError('A pool needs at least one member');
    this.id = options.id;
    this.members = options.members.map((m) => ({
      id: m.id,
      provider: m.provider,
      up: true,
      inFlight: 0,
      downUntil: 0,
    }));
    this.strategy = options.strategy ?? 'least-in-flight';
    this.retryDownAfterMs = options.retryDownAfterMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.memory = options.memory;
    const n = this.members.length;
    this.cursor = (((options.startAt ?? Math.floor(Math.random() * n)) % n) + n) % n;
    try {
      this.restore(this.memory?.read());
    } catch {
      /* unreadable memory: start fresh, as a pool without one does */
    }
    if (options.healthCheckIntervalMs && options.healthCheckIntervalMs > 0) {
      this.timer = setInterval(() => void this.checkHealth({ onlyDown: true }), options.healthCheckIntervalMs);
      // Health checks alone must not keep the process (a CLI run) alive.
      this.timer.unref();
    }
  }

  /** A snapshot of every member's health and load. */
  status(): PoolMemberStatus[] {
    return this.members.map(({ provider: _p, ...s }) => ({
      ...s,
      ...(s.lastError ? { lastError: { ...s.lastError } } : {}),
    }));
  }

  /**
   * Probes members with `listModels` (default: all; `onlyDown`: only those marked down) and
   * updates their health. Never throws.
   */
  async checkHealth(options: { onlyDown?: boolean; timeoutMs?: number } = {}): Promise<PoolMemberStatus[]> {
    const targets = this.members.filter((m) => !options.onlyDown || !m.up);
    await Promise.all(
      targets.map(async (m) => {
        try {
          await m.provider.listModels(AbortSignal.timeout(options.timeoutMs ?? 3000));
          this.markUp(m);
        } catch (e) {
          this.markDown(m, e);
        }
      }),
    );
    return this.status();
  }

  async *generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<GenerationPart> {
    const tried = new Set<MemberState>();
    let lastError: unknown;
    for (;;) {
      const member = this.pick(tried);
      if (!member) {
        if (LlmError.isInstance(lastError)) throw lastError;
        throw new LlmError('unreachable', `No endpoint of ${this.id} can be reached right now.`, {
          pool: this.id,
          members: this.status(),
        });
      }
      tried.add(member);
      member.inFlight++;
      let streamed = false;
      try {
        for await (const part of member.provider.generate(request, signal)) {
          if (part.type === 'text') streamed = true;
          yield part;
        }
        this.markUp(member);
        return;
      } catch (e) {
        lastError = e;
        const code = LlmError.isInstance(e) ? e.code : 'internal';
        if (code === 'unreachable' || code === 'timeout' || code === 'rate_limited') this.markDown(member, e);
        if (streamed || !FAILOVER.has(code) || signal?.aborted) throw e;
      } finally {
        member.inFlight--;
      }
    }
  }

  /** Union of the models of every reachable member. Throws `unreachable` when none answers. */
  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const results = await Promise.allSettled(this.members.map((m) => m.provider.listModels(signal)));
    const seen = new Map<string, ModelInfo>();
    results.forEach((r, i) => {
      const m = this.members[i]!;
      if (r.status === 'fulfilled') {
        this.markUp(m);
        for (const model of r.value) if (!seen.has(model.id)) seen.set(model.id, model);
      } else {
        this.markDown(m, r.reason);
      }
    });
    if (results.every((r) => r.status === 'rejected')) {
      throw new LlmError('unreachable', `No endpoint of ${this.id} can be reached right now.`, {
        pool: this.id,
        members: this.status(),
      });
    }
    return [...seen.values()];
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.members.map((m) => m.provider.dispose()));
  }

  private pick(tried: Set<MemberState>): MemberState | undefined {
    const now = this.now();
    const n = this.members.length;
    let best: MemberState | undefined;
    // Scan from the rotating cursor so equal loads are spread round robin.
    for (let k = 0; k < n; k++) {
      const m = this.members[(this.cursor + k) % n]!;
      if (tried.has(m)) continue;
      if (!m.up && m.downUntil > now) continue;
      if (!best) best = m;
      if (this.strategy === 'round-robin') break;
      if (m.inFlight < best.inFlight) best = m;
    }
    if (!best) {
      // Everything is down: rather than fail without trying, try the one due back soonest.
      for (const m of this.members) if (!tried.has(m) && (!best || m.downUntil < best.downUntil)) best = m;
    }
    if (best) {
      this.cursor = (this.members.indexOf(best) + 1) % n;
      this.save();
    }
    return best;
  }

  private markUp(m: MemberState): void {
    const changed = !m.up;
    m.up = true;
    m.downUntil = 0;
    delete m.lastError;
    if (changed) this.save();
  }

  private markDown(m: MemberState, e: unknown): void {
    const retryAfter = LlmError.isInstance(e) ? (e.details.retryAfterMs as number | undefined) : undefined;
    m.up = false;
    m.downUntil = this.now() + (retryAfter ?? this.retryDownAfterMs);
    m.lastError = LlmError.isInstance(e)
      ? { code: e.code, userMessage: e.userMessage }
      : { code: 'internal', userMessage: e instanceof Error ? e.message : String(e) };
    this.save();
  }

  private restore(snapshot: PoolSnapshot | undefined): void {
    if (!snapshot) return;
    const next = this.members.findIndex((m) => m.id === snapshot.next);
    if (next >= 0) this.cursor = next;
    const now = this.now();
    for (const m of this.members) {
      const down = snapshot.down?.[m.id];
      if (!down || down.until <= now) continue;
      m.up = false;
      m.downUntil = down.until;
      m.lastError = { code: down.code, userMessage: down.userMessage };
    }
  }

  private save(): void {
    if (!this.memory) return;
    const down: NonNullable<PoolSnapshot['down']> = {};
    for (const m of this.members) {
      if (!m.up && m.lastError) down[m.id] = { until: m.downUntil, ...m.lastError };
    }
    // Remembering is an optimisation: a failed write must not fail the generation.
    try {
      this.memory.write({ next: this.members[this.cursor]!.id, down });
    } catch {
      /* the next process simply starts from a random member */
    }
  }
}
