/**
 * Local engine benchmarks on stories260K (converted on the fly into a temp dir). Prints JSON lines:
 * - llm.provider_overhead: tok/s through LocalProvider vs node-llama-cpp's sequence.evaluate() called
 *   directly (same prompt, same greedy decode, fresh state each rep). Goal x >= 0.95.
 *   llm.provider_overhead_cpu: the same per CPU-second, which load from other processes barely moves.
 * - llm.kv_reuse_ttft: time to first token when author A, whose sequence holds a ~450-token story,
 *   continues it after ~20 tokens from author B, vs a fresh prefill of the same ~470 tokens. Goal x >= 8.
 * - llm.event_loop_max_delay: worst event-loop stall during those measured calls vs an idle loop (is the
 *   JS thread free while llama.cpp computes? a ~400 ms prefill on the JS thread would show as ~400 ms).
 * Medians of REPS runs; A/B runs are interleaved so background load hits both alike.
 * Run alone with `npx tsx bench/llm-local.ts`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LlamaModel } from 'node-llama-cpp';
import { convertLlama2cToGguf } from '../src-main/llm/llama2c';
import { createLocalProvider, LocalEngine, type LocalProvider } from '../src-main/llm/local';
import type { GenerationPart, GenerationRequest } from '../src-main/llm/provider';
import { median, report } from './util';

const REPS = 11;
/**
 * Many short interleaved runs for the overhead ratio: on shared cores throughput switches between
 * load regimes, and with few long runs the two medians can come from different regimes.
 */
const OVERHEAD_REPS = 31;
const GEN_TOKENS = 100;
const THREADS = 1; // see LocalProviderOptions.threads: more threads than free cores collapses llama.cpp

type Finish = Extract<GenerationPart, { type: 'finish' }>;

/** Worst event-loop stall seen during each measured provider call (decode in one bench, prefill in the other). */
const loopStallsMs: number[] = [];

/**
 * Runs `fn` under a fresh event-loop delay monitor. (One monitor toggled on and off would count the
 * time it was off as a delay on its first tick back, so each call gets its own.)
 */
async function watchingEventLoop<T>(fn: () => Promise<T>): Promise<T> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  try {
    return await fn();
  } finally {
    h.disable();
    loopStallsMs.push(h.max / 1e6);
  }
}

export async function run(): Promise<void> {
  const shared = process.env.PALIMPSEST_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
  const modelDir = join(shared, 'models/stories260K');
  if (!existsSync(join(modelDir, 'stories260K.bin'))) {
    console.error(`bench/llm-local: skipped, ${modelDir} not found (set PALIMPSEST_SHARED)`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'palimpsest-bench-llm-'));
  // One engine root for both sides, as in the app: the baseline loads its model under the same Llama.
  const engine = new LocalEngine({ maxThreads: THREADS });
  const llama = await engine.retain();
  const provider = createLocalProvider({ modelsDir: dir, contextSize: 512, sequences: 4, threads: THREADS, engine });
  try {
    const modelPath = join(dir, 'stories260K.gguf');
    await convertLlama2cToGguf({
      checkpoint: join(modelDir, 'stories260K.bin'),
      tokenizer: join(modelDir, 'tok512.bin'),
      output: modelPath,
    });
    const model = await llama.loadModel({ modelPath });
    try {
      await benchProviderOverhead(provider, model);
      await benchKvReuse(provider);
      await reportEventLoopDelay();
    } finally {
      await model.dispose();
    }
  } finally {
    await provider.dispose();
    await engine.release();
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchProviderOverhead(provider: LocalProvider, model: LlamaModel): Promise<void> {
  const prompt = 'Once upon a time';
  const context = await model.createContext({ contextSize: 512, threads: THREADS });
  const sequence = context.getSequence();
  const promptTokens = [model.tokens.bos!, ...model.tokenize(prompt)];

  /**
   * The baseline: what a caller of node-llama-cpp would write by hand for streamed text. Each token
   * is detokenized with the tokens before it (node-llama-cpp's `lastTokens`): alone, a SentencePiece
   * token loses its leading space ("upon" instead of " upon"), so that is the cheapest correct way.
   */
  const direct = async (): Promise<number> => {
    await sequence.clearHistory();
    const tokens = [...promptTokens];
    let text = '';
    for await (const token of sequence.evaluate(promptTokens, { temperature: 0 })) {
      text += model.detokenize([token], false, tokens.slice(-4));
      tokens.push(token);
      if (tokens.length - promptTokens.length >= GEN_TOKENS) break;
    }
    if (!text.startsWith(', there was')) throw new Error(`baseline produced unexpected text: ${text.slice(0, 40)}`);
    return tokens.length - promptTokens.length;
  };
  const viaProvider = async (): Promise<number> => {
    const finish = await generate(provider, {
      kind: 'completion',
      model: 'stories260K',
      prompt,
      temperature: 0,
      maxTokens: GEN_TOKENS,
      authorId: 'bench',
    });
    await provider.evict('bench'); // fresh state next time, like the baseline
    return finish.usage.completionTokens;
  };

  await direct();
  await viaProvider(); // warm-up: loads the model into the provider
  const a: Rate[] = [];
  const b: Rate[] = [];
  // ABBA order so drift in background load (shared cores) hits both sides alike.
  for (let i = 0; i < OVERHEAD_REPS; i++) {
    if (i % 2 === 0) {
      b.push(await rate(direct));
      a.push(await rate(viaProvider));
    } else {
      a.push(await rate(viaProvider));
      b.push(await rate(direct));
    }
  }
  // Event-loop watching runs a 1 ms timer, which costs CPU: only on extra runs, not the timed ones.
  for (let i = 0; i < 3; i++) await watchingEventLoop(viaProvider);
  await context.dispose();
  const wallA = median(a.map((r) => r.wall));
  const wallB = median(b.map((r) => r.wall));
  line('llm.provider_overhead', wallA, 'tok/s', 'node-llama-cpp called directly', wallB, wallA / wallB);
  // Tokens per CPU-second of this process (all threads): unlike wall time, other processes on
  // shared cores barely move it, so it isolates the provider's own cost.
  // Adjacent A/B runs share the background load, so the median of per-pair ratios is steadier.
  const paired = median(a.map((r, i) => r.wall / b[i]!.wall));
  console.error(`bench/llm-local: provider/direct median of paired wall ratios ${paired.toFixed(3)}`);
  const cpuA = median(a.map((r) => r.cpu));
  const cpuB = median(b.map((r) => r.cpu));
  line('llm.provider_overhead_cpu', cpuA, 'tok/cpu-s', 'node-llama-cpp called directly', cpuB, cpuA / cpuB);
}

interface Rate {
  /** tokens per wall-clock second */
  wall: number;
  /** tokens per CPU second of this process */
  cpu: number;
}

async function rate(fn: () => Promise<number>): Promise<Rate> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const tokens = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall: (tokens * 1000) / wallMs, cpu: (tokens * 1e6) / (cpu.user + cpu.system) };
}

/** Event-loop stalls while the provider decodes and prefills (both benches), vs an idle loop. */
async function reportEventLoopDelay(): Promise<void> {
  const worst = Math.max(...loopStallsMs);
  await watchingEventLoop(() => new Promise((r) => setTimeout(r, 1000)));
  const idle = loopStallsMs.pop()!;
  line('llm.event_loop_max_delay', worst, 'ms', 'idle event loop, 1 s', idle, idle / worst);
}

async function benchKvReuse(provider: LocalProvider): Promise<void> {
  const base = { kind: 'completion', model: 'stories260K', temperature: 0 } as const;
  // A ~450-token story written by author A (continued past any end-of-story token).
  let story = '';
  let storyTokens = 0;
  while (storyTokens < 440) {
    const part = await generateText(provider, { ...base, prompt: story, maxTokens: 450 - storyTokens, authorId: 'A' });
    story += part.text.length > 0 ? part.text : ' Then';
    storyTokens = part.finish.usage.promptTokens + part.finish.usage.completionTokens;
  }
  // Author B adds ~20 tokens (sampled, so it is not what A would have written).
  const b = await generateText(provider, {
    ...base,
    prompt: story,
    maxTokens: 20,
    temperature: 1,
    seed: 7,
    authorId: 'B',
  });
  const continued = story + b.text;

  const reuse: number[] = [];
  const fresh: number[] = [];
  let last: Finish | undefined;
  for (let i = 0; i < REPS; i++) {
    // A's sequence holds the story (as after A's own turn), then A continues the longer text.
    await generate(provider, { ...base, prompt: story, maxTokens: 1, authorId: 'A' });
    last = await watchingEventLoop(() =>
      generate(provider, { ...base, prompt: continued, maxTokens: 1, authorId: 'A' }),
    );
    reuse.push(last.timings.timeToFirstTokenMs);
    await provider.evict('C');
    const f = await watchingEventLoop(() =>
      generate(provider, { ...base, prompt: continued, maxTokens: 1, authorId: 'C' }),
    );
    fresh.push(f.timings.timeToFirstTokenMs);
  }
  console.error(
    `bench/llm-local: kv reuse prompt ${last?.usage.promptTokens} tokens, cache ${JSON.stringify(last?.cache)}`,
  );
  line(
    'llm.kv_reuse_ttft',
    median(reuse),
    'ms',
    `fresh prefill of ~${last?.usage.promptTokens} tokens`,
    median(fresh),
    median(fresh) / median(reuse),
  );
}

async function generate(provider: LocalProvider, request: GenerationRequest): Promise<Finish> {
  return (await generateText(provider, request)).finish;
}

async function generateText(
  provider: LocalProvider,
  request: GenerationRequest,
): Promise<{ text: string; finish: Finish }> {
  let text = '';
  for await (const part of provider.generate(request)) {
    if (part.type === 'text') text += part.text;
    else return { text, finish: part };
  }
  throw new Error('generation ended without a finish part');
}

function line(bench: string, value: number, unit: string, baseline: string, baselineValue: number, x: number): void {
  report({ bench, value, unit, baseline, baseline_value: baselineValue, x });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await run();
