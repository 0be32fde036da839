/**
 * `palimpsest models list|pull|import|generate` plus `models endpoints …` and `models authors …`:
 * the LLM layer from a terminal, through the same API procedures as the UI (`withCaller`).
 * Results go to stdout (`--json` for scripts); progress and generation statistics go to stderr so
 * `generate` output can be piped.
 *
 * Only light modules are imported here (catalog data, formatting): the core, the API and the
 * local engine load inside the actions that need them.
 */
import type { Command } from 'commander';
import type { App } from '../../app';
import { describeVerification, findCatalogEntry, listCatalog } from '../../llm/catalog/catalog';
import type { ModelDownloadPayload, ModelDownloadResult } from '../../llm/download/model-download-job';
import { formatBytes } from '../../llm/download/progress-meter';
import type { GenerationPart, GenerationSettings } from '../../llm/provider';
import type { GenerateInput } from '../../llm/service/llm-service-types';
import { CliError, printRows } from '../output';
import { globalOptions, withCaller, type LocalCaller } from '../with-app';

/** Registers the `models` command group. */
export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('Language models: catalog, downloads, endpoints, authors, generation');

  models
    .command('list')
    .description('Catalog models, installed files, endpoints and a local Ollama, if any')
    .option('--no-probe', 'do not look for Ollama on 127.0.0.1:11434')
    .action(async (opts: { probe: boolean }, cmd: Command) => {
      await withCaller(cmd, (api) => listCommand(api, opts.probe, Boolean(globalOptions(cmd).json)));
    });

  models
    .command('pull <idOrUrl>')
    .description('Download a catalog model (or a .gguf URL) with resume and checksum verification')
    .option('--sha256 <hex>', 'expected SHA-256 for a URL download')
    .option('--file <name>', 'file name for a URL download (default: from the URL)')
    .action(async (idOrUrl: string, opts: { sha256?: string; file?: string }, cmd: Command) => {
      const target = pullTarget(idOrUrl, opts);
      await withCaller(cmd, async (api, app) => {
        const job = await api.llm.download(target);
        const payload = job.payload as ModelDownloadPayload;
        if (payload.sha256 === null)
          process.stderr.write(
            `warning: ${payload.fileName} has no published checksum; it will be installed UNVERIFIED.\n`,
          );
        // An earlier pull of the same file that was interrupted resumes from its checkpoint.
        if (job.startedAt !== null) process.stderr.write(`Resuming the interrupted download ${job.id}.\n`);
        const result = await followDownload(app, job.id, `Downloading ${payload.fileName}`);
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(result) + '\n');
        else
          process.stdout.write(
            `Installed ${result.id} at ${result.path} (${formatBytes(result.bytes)}, ${result.verified ? 'checksum verified' : 'UNVERIFIED: no published checksum'})\n`,
          );
      });
    });

  models
    .command('import <file>')
    .description('Copy a .gguf (or convert a llama2.c .bin checkpoint) into the models folder')
    .option('--tokenizer <file>', 'llama2.c tokenizer.bin (default: tokenizer.bin or tok*.bin beside the checkpoint)')
    .option('--name <name>', 'file name in the models folder (default: from the source)')
    .action(async (file: string, opts: { tokenizer?: string; name?: string }, cmd: Command) => {
      if (opts.name !== undefined && /[/\\]/.test(opts.name))
        throw new CliError('--name must be a plain file name.', 2);
      await withCaller(cmd, async (api) => {
        const model = await api.llm.importModel({
          path: file,
          ...(opts.tokenizer ? { tokenizerPath: opts.tokenizer } : {}),
          ...(opts.name ? { name: opts.name } : {}),
        });
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(model) + '\n');
        else
          process.stdout.write(
            `Imported ${model.id} at ${model.path} (${formatBytes(model.sizeBytes)}; not verified against a published checksum)\n`,
          );
      });
    });

  models
    .command('generate <prompt...>')
    .description('Stream a generation to stdout, as a model author (--author) or with a model (--model)')
    .option(
      '--author <id>',
      'model author id (uses its provider, model, sampling and persona; the generation is recorded)',
    )
    .option('--model <id>', 'model id: an installed model (local engine) or a model the provider serves')
    .option('--provider <ref>', 'local | ollama | endpoint:<id or name> | pool:<name> (default: local)')
    .option('--base-url <url>', 'an ad-hoc OpenAI-compatible server instead of --provider')
    .option(
      '--api-key-env <var>',
      'environment variable holding the API key for --base-url (keys never go on the command line)',
    )
    .option('--system <text>', 'system prompt (chat mode)')
    .option('--completion', 'raw completion instead of chat')
    .option('--max-tokens <n>', 'maximum new tokens', toInt)
    .option('--temperature <t>', 'sampling temperature (0 = greedy)', toFloat)
    .option('--top-p <p>', 'nucleus sampling', toFloat)
    .option('--top-k <k>', 'top-k sampling', toInt)
    .option('--seed <n>', 'random seed', toInt)
    // One value per flag, repeated for several: a variadic option would swallow the prompt after it.
    .option('--stop <s>', 'stop string (repeat the flag for several)', collect, [] as string[])
    .action(async (promptWords: string[], opts: GenerateOptions, cmd: Command) => {
      await generateCommand(cmd, promptWords.join(' '), opts);
    });

  const endpoints = models
    .command('endpoints')
    .description('Remote OpenAI-compatible endpoints (keys kept in the key store, not the database)');
  endpoints
    .command('add <name> <baseUrl>')
    .option('--api-key-env <var>', 'read the API key from this environment variable')
    .option('--pool <name>', 'serve together with other endpoints of this pool as provider pool:<name>')
    .action(async (name: string, baseUrl: string, opts: { apiKeyEnv?: string; pool?: string }, cmd: Command) => {
      const apiKey = opts.apiKeyEnv ? requireEnv(opts.apiKeyEnv) : undefined;
      await withCaller(cmd, async (api) => {
        const ep = await api.llm.addEndpoint({ name, baseUrl, ...(apiKey ? { apiKey } : {}), pool: opts.pool ?? null });
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(ep) + '\n');
        else
          process.stdout.write(
            `Added endpoint ${ep.name} (${ep.id}) at ${ep.baseUrl}; use --provider endpoint:${ep.name}\n`,
          );
      });
    });
  endpoints.command('remove <idOrName>').action(async (idOrName: string, _opts: unknown, cmd: Command) => {
    await withCaller(cmd, async (api) => {
      await api.llm.removeEndpoint({ id: idOrName });
      process.stdout.write(`Removed ${idOrName}\n`);
    });
  });

  const authors = models
    .command('authors')
    .description('Model authors (co-writers with a provider, model, sampling and persona)');
  authors.command('list').action(async (_opts: unknown, cmd: Command) => {
    await withCaller(cmd, async (api) => {
      const rows = await api.llm.authors();
      const json = globalOptions(cmd).json;
      printRows(
        json
          ? rows
          : rows.map((a) => ({
              id: a.id,
              kind: a.kind,
              name: a.name,
              provider: a.model?.provider ?? '',
              model: a.model?.model ?? '',
            })),
        json,
      );
    });
  });
  authors
    .command('add <name>')
    .requiredOption('--provider <ref>', 'local | ollama | endpoint:<id or name> | pool:<name>')
    .requiredOption('--model <id>', 'model id for that provider')
    .option('--system <text>', 'persona / system prompt')
    .option('--temperature <t>', 'default temperature', toFloat)
    .option('--max-tokens <n>', 'default maximum new tokens', toInt)
    .option('--color <css>', 'highlight colour (#rrggbb)')
    .action(async (name: string, opts: AuthorOptions, cmd: Command) => {
      const sampling: GenerationSettings = {};
      if (opts.temperature !== undefined) sampling.temperature = opts.temperature;
      if (opts.maxTokens !== undefined) sampling.maxTokens = opts.maxTokens;
      await withCaller(cmd, async (api) => {
        const author = await api.llm.createAuthor({
          name,
          provider: opts.provider,
          model: opts.model,
          sampling,
          systemPrompt: opts.system ?? null,
          ...(opts.color ? { color: opts.color } : {}),
        });
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(author) + '\n');
        else process.stdout.write(`Created author ${author.name} (${author.id})\n`);
      });
    });
}

interface AuthorOptions {
  provider: string;
  model: string;
  system?: string;
  temperature?: number;
  maxTokens?: number;
  color?: string;
}

interface GenerateOptions {
  author?: string;
  model?: string;
  provider?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  system?: string;
  completion?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  stop: string[];
}

/** `llm.catalog`, `llm.installed`, `llm.endpoints` and (unless --no-probe) `llm.ollama`, as one report. */
async function listCommand(api: LocalCaller, probe: boolean, json: boolean): Promise<void> {
  const [catalogInfo, installed, endpoints, ollama] = await Promise.all([
    api.llm.catalog(),
    api.llm.installed(),
    api.llm.endpoints(),
    probe ? api.llm.ollama() : undefined,
  ]);
  const catalog = catalogInfo.map((e) => ({
    ...e,
    installed: e.installedId !== null,
    verification: describeVerification({ sha256: e.sha256, checksumNote: e.checksum.note }),
  }));
  if (json) {
    process.stdout.write(JSON.stringify({ catalog, installed, endpoints, ollama }, null, 2) + '\n');
    return;
  }
  process.stdout.write('Catalog (palimpsest models pull ID)\n');
  printRows(
    catalog.map((e) => ({
      id: e.id,
      size: `${e.sizeIsExact ? '' : '~'}${formatBytes(e.sizeBytes)}`,
      quant: e.quantization,
      ctx: e.contextLength,
      licence: e.licence.id,
      memory: `${formatBytes(e.memory.neededBytes)}${e.memory.fits ? (e.memory.tight ? ' (tight)' : '') : ' (exceeds free memory)'}`,
      checksum: e.sha256 ? 'sha256' : 'UNVERIFIED',
      installed: e.installed ? 'yes' : '',
    })),
    false,
  );
  process.stdout.write('\nInstalled (use the id with --model)\n');
  printRows(
    installed.map((m) => ({
      id: m.id,
      file: m.fileName,
      size: formatBytes(m.sizeBytes),
      quant: m.quantization ?? '',
      ctx: m.contextLength ?? '',
      source: m.source ?? 'copied in',
      verified: m.verified ? 'yes' : 'NO',
      note: m.error ? `unusable: ${m.error}` : '',
    })),
    false,
  );
  process.stdout.write('\nEndpoints\n');
  printRows(
    endpoints.map((e) => ({
      id: e.id,
      name: e.name,
      url: e.baseUrl,
      kind: e.kind,
      key: e.hasKey ? 'set' : '',
      pool: e.pool ?? '',
    })),
    false,
  );
  if (ollama) {
    process.stdout.write(
      `\nOllama at ${ollama.url}: ${ollama.available ? `${ollama.models.length} model(s)${ollama.models.length ? `: ${ollama.models.map((m) => m.id).join(', ')}` : ''}` : 'not running'}\n`,
    );
  }
}

/**
 * `llm.generate` (a subscription) streamed to stdout, statistics on stderr. Ctrl-C aborts the
 * caller's signal, which ends the stream with an `abort` finish part; it is recorded like any other.
 */
async function generateCommand(cmd: Command, prompt: string, opts: GenerateOptions): Promise<void> {
  if (!opts.author && !opts.model) throw new CliError('Give --author ID or --model ID.', 2);
  const json = Boolean(globalOptions(cmd).json);
  const input = generateInput(prompt, opts);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    await withCaller(
      cmd,
      async (api) => {
        let text = '';
        let finish: Extract<GenerationPart, { type: 'finish' }> | undefined;
        for await (const part of await api.llm.generate(input)) {
          if (part.type === 'text') {
            text += part.text;
            if (!json) process.stdout.write(part.text);
          } else finish = part;
        }
        if (json) {
          process.stdout.write(JSON.stringify({ text, finish }) + '\n');
          return;
        }
        process.stdout.write('\n');
        if (finish) {
          const t = finish.timings;
          process.stderr.write(
            `[${finish.reason}; ${finish.usage.promptTokens} prompt + ${finish.usage.completionTokens} completion tokens; ` +
              `first token ${Math.round(t.timeToFirstTokenMs)} ms; ${t.tokensPerSecond.toFixed(1)} tok/s; ${Math.round(t.totalMs)} ms]\n`,
          );
        }
      },
      { signal: abort.signal },
    );
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The command line as `llm.generate` input: an author, an ad-hoc server, or a provider + model. */
function generateInput(prompt: string, opts: GenerateOptions): GenerateInput {
  const settings: GenerationSettings = {};
  if (opts.maxTokens !== undefined) settings.maxTokens = opts.maxTokens;
  if (opts.temperature !== undefined) settings.temperature = opts.temperature;
  if (opts.topP !== undefined) settings.topP = opts.topP;
  if (opts.topK !== undefined) settings.topK = opts.topK;
  if (opts.seed !== undefined) settings.seed = opts.seed;
  if (opts.stop.length) settings.stop = opts.stop;
  const mode = opts.completion ? 'completion' : 'chat';
  if (opts.author) return { authorId: opts.author, prompt, mode, settings };
  const target: Pick<GenerateInput, 'provider' | 'baseUrl' | 'apiKey'> = {};
  if (opts.baseUrl) {
    target.baseUrl = opts.baseUrl;
    if (opts.apiKeyEnv) target.apiKey = requireEnv(opts.apiKeyEnv);
  } else target.provider = opts.provider ?? 'local';
  const conversation =
    opts.system && !opts.completion
      ? {
          messages: [
            { role: 'system' as const, content: opts.system },
            { role: 'user' as const, content: prompt },
          ],
        }
      : { prompt };
  return { ...target, model: opts.model!, ...conversation, mode, settings };
}

/** `models pull` arguments as `llm.download` input; unknown ids and bad flags are usage errors (exit 2). */
function pullTarget(
  idOrUrl: string,
  opts: { sha256?: string; file?: string },
): { catalogId: string } | { url: string; fileName?: string; sha256?: string } {
  const entry = findCatalogEntry(idOrUrl);
  if (entry) return { catalogId: entry.id };
  if (!/^https?:\/\//.test(idOrUrl)) {
    throw new CliError(
      `Unknown model "${idOrUrl}". Known: ${listCatalog()
        .map((e) => e.id)
        .join(', ')} (or give an https:// URL).`,
      2,
    );
  }
  if (opts.file !== undefined && !/\.gguf$/i.test(opts.file))
    throw new CliError('Only .gguf files can be pulled; pass --file NAME.gguf.', 2);
  if (opts.file === undefined && !/\.gguf$/i.test(new URL(idOrUrl).pathname))
    throw new CliError('Only .gguf files can be pulled; pass --file NAME.gguf.', 2);
  if (opts.sha256 && !/^[0-9a-f]{64}$/i.test(opts.sha256)) throw new CliError('--sha256 must be 64 hex digits.', 2);
  return {
    url: idOrUrl,
    ...(opts.file ? { fileName: opts.file } : {}),
    ...(opts.sha256 ? { sha256: opts.sha256 } : {}),
  };
}

/**
 * Runs the runner until the download ends, with a byte-aware progress line on stderr. Ctrl-C stops
 * the runner without cancelling: the partial file and checkpoint stay, and the same `pull` resumes
 * them (`palimpsest jobs cancel ID` discards them instead).
 */
async function followDownload(app: App, jobId: string, label: string): Promise<ModelDownloadResult> {
  const tty = process.stderr.isTTY;
  let last = 0;
  const off = app.jobs.onDidChangeJob((j) => {
    if (j.id !== jobId || j.status !== 'running') return;
    const now = Date.now();
    if (now - last < (tty ? 200 : 2000)) return;
    last = now;
    const pct = j.total ? Math.min(100, Math.floor((j.done / j.total) * 100)) : undefined;
    const width = 24;
    const bar = pct !== undefined ? '█'.repeat(Math.round((pct / 100) * width)).padEnd(width, '░') : '';
    const eta = j.etaMs !== null ? ` ETA ${Math.ceil(j.etaMs / 1000)}s` : '';
    const line = `${label} ${bar} ${pct !== undefined ? `${pct}% ` : ''}${j.message}${eta}`.slice(0, 120);
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  });
  let interrupted = false;
  let onStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (onStopped = resolve));
  const interrupt = () => {
    interrupted = true;
    void app.jobs.stop().then(onStopped);
  };
  process.once('SIGINT', interrupt);
  try {
    app.jobs.start();
    // A stopped runner never reports idle, hence the race with our own stop.
    await Promise.race([app.jobs.whenIdle(), stopped]);
    if (tty) process.stderr.write('\r\x1b[2K');
    if (interrupted)
      throw new CliError(
        `Interrupted; run the same command again to resume (or: palimpsest jobs cancel ${jobId}).`,
        130,
      );
    const job = app.jobs.get(jobId);
    if (job.status === 'failed') throw new CliError(job.error ?? 'The download failed.');
    if (job.status === 'cancelled') throw new CliError('Cancelled; the partial file was removed.', 130);
    return job.result as ModelDownloadResult;
  } finally {
    off();
    process.off('SIGINT', interrupt);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new CliError(`Environment variable ${name} is not set.`, 2);
  return v;
}

function toInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`Not an integer: ${v}`, 2);
  return n;
}

function toFloat(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CliError(`Not a number: ${v}`, 2);
  return n;
}
