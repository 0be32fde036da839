import type { GenerationPart } from '../../../../src-main/llm/provider';
import { api, errorMessage } from '../../api/client';

type Finish = Extract<GenerationPart, { type: 'finish' }>;

/** Numbers shown under the output. `estimated` when the run was stopped before the engine's own figures arrived. */
export interface RunStats {
  ttftMs: number;
  tokensPerSecond: number;
  tokens: number;
  reason: Finish['reason'] | 'stopped';
  estimated: boolean;
}

/**
 * One playground run at a time: streams an author's generation over the `llm.generate`
 * subscription. Stop unsubscribes, which aborts the generation on the server (it is still recorded).
 */
export class PlaygroundState {
  authorId = $state('');
  mode = $state<'chat' | 'completion'>('completion');
  prompt = $state('');
  /** The prompt as sent, shown before the continuation in completion mode. */
  sentPrompt = $state('');
  output = $state('');
  running = $state(false);
  stats = $state<RunStats | null>(null);
  error = $state<string | null>(null);
  private unsubscribe: (() => void) | null = null;
  private t0 = 0;
  private firstAt = 0;
  private parts = 0;

  run(): void {
    if (this.running || !this.authorId) return;
    this.output = '';
    this.stats = null;
    this.error = null;
    this.sentPrompt = this.mode === 'completion' ? this.prompt : '';
    this.running = true;
    this.t0 = performance.now();
    this.firstAt = 0;
    this.parts = 0;
    const sub = api.llm.generate.subscribe(
      { authorId: this.authorId, mode: this.mode, prompt: this.prompt },
      {
        onData: (part) => {
          if (part.type === 'text') {
            if (this.parts++ === 0) this.firstAt = performance.now();
            this.output += part.text;
          } else {
            this.stats = {
              ttftMs: part.timings.timeToFirstTokenMs,
              tokensPerSecond: part.timings.tokensPerSecond,
              tokens: part.usage.completionTokens,
              reason: part.reason,
              estimated: false,
            };
          }
        },
        onError: (e) => {
          this.error = errorMessage(e);
          this.finish();
        },
        onComplete: () => this.finish(),
      },
    );
    this.unsubscribe = () => sub.unsubscribe();
  }

  /** Stops the stream; the numbers shown are measured here since the engine's finish part will not arrive. */
  stop(): void {
    if (!this.running) return;
    this.unsubscribe?.();
    const now = performance.now();
    const decoding = this.firstAt ? (now - this.firstAt) / 1000 : 0;
    this.stats = {
      ttftMs: this.firstAt ? this.firstAt - this.t0 : now - this.t0,
      tokensPerSecond: decoding > 0 && this.parts > 1 ? (this.parts - 1) / decoding : 0,
      tokens: this.parts,
      reason: 'stopped',
      estimated: true,
    };
    this.finish();
  }

  dispose(): void {
    this.unsubscribe?.();
  }

  private finish(): void {
    this.running = false;
    this.unsubscribe = null;
  }
}
