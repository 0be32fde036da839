/**
 * `palimpsest models list|pull|import|generate` plus `models endpoints …` and `models authors …`:
 * the LLM layer from a terminal. Results go to stdout (`--json` for scripts); progress and
 * generation statistics go to stderr so `generate` output can be piped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { App } from '../../app';
import {
  AuthorService,
  EndpointRegistry,
  generateWithAuthor,
  ProviderResolver,
  type Endpoint,
} from '../../llm/authors';
import {
  checkMemoryFit,
  describeVerification,
  findCatalogEntry,
  listCatalog,
  listInstalledModels,
  findInstalledModel,
  modelIdFromFileName,
  modelsDirFor,
  recordInstalledModel,
} from '../../llm/catalog';
import {
  formatBytes,
  hashFile,
  MODEL_DOWNLOAD_JOB,
  type ModelDownloadPayload,
  type ModelDownloadResult,
} from '../../llm/download';
// Not the '../../llm' barrel: it re-exports the local engine, whose prompt module loads node-llama-cpp
// eagerly, and every CLI command would pay for that at startup.
import { readGgufInfo } from '../../llm/gguf';
import { convertLlama2cToGguf } from '../../llm/llama2c';
import { LlmError } from '../../llm/errors';
import { openFileSecretStore } from '../../llm/keys';
import { detectOllama, OpenAiCompatibleProvider } from '../../llm/openai';
import type {
  ChatMessage,
  GenerationPart,
  GenerationRequest,
  GenerationSettings,
  LlmProvider,
} from '../../llm/provider';
import { CliError, printRows } from '../output';
import { globalOptions, withApp } from '../with-app';

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
      await withApp(cmd, async (app) => {
        const installed = listInstalledModels(app.store.db);
        const endpoints = new EndpointRegistry(app.store.db, openFileSecretStore(app.store.dataDir)).list();
        const ollama = opts.probe ? await detectOllama() : undefined;
        const catalog = listCatalog().map((e) => {
          const fit = checkMemoryFit(e);
          return {
            ...e,
            installed: installed.some((m) => m.catalogId === e.id && m.present),
            memory: fit,
            verification: describeVerification(e),
          };
        });
        if (globalOptions(cmd).json) {
          process.stdout.write(
            JSON.stringify({ catalog, installed, endpoints: endpoints.map(publicEndpoint), ollama }, null, 2) + '\n',
          );
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
        process.stdout.write('\nInstalled\n');
        printRows(
          installed.map((m) => ({
            id: m.id,
            file: m.fileName,
            size: formatBytes(m.sizeBytes),
            source: m.source,
            verified: m.verified ? 'yes' : 'NO',
            present: m.present ? 'yes' : 'MISSING',
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
            key: e.keyRef ? 'set' : '',
            pool: e.pool ?? '',
          })),
          false,
        );
        if (ollama) {
          process.stdout.write(
            `\nOllama at ${ollama.url}: ${ollama.available ? `${ollama.models.length} model(s)${ollama.models.length ? `: ${ollama.models.map((m) => m.id).join(', ')}` : ''}` : 'not running'}\n`,
          );
        }
      });
    });

  models
    .command('pull <idOrUrl>')
    .description('Download a catalog model (or a .gguf URL) with resume and checksum verification')
    .option('--sha256 <hex>', 'expected SHA-256 for a URL download')
    .option('--file <name>', 'file name for a URL download (default: from the URL)')
    .action(async (idOrUrl: string, opts: { sha256?: string; file?: string }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const payload = pullPayload(idOrUrl, opts);
        if (payload.sha256 === null)
          process.stderr.write(
            `warning: ${payload.fileName} has no published checksum; it will be installed UNVERIFIED.\n`,
          );
        // An earlier pull of the same file that was interrupted resumes from its checkpoint.
        const earlier = app.jobs
          .list(1000)
          .find(
            (j) =>
              j.kind === MODEL_DOWNLOAD_JOB &&
              (j.status === 'queued' || j.status === 'running') &&
              (j.payload as ModelDownloadPayload).fileName === payload.fileName,
          );
        if (earlier) process.stderr.write(`Resuming the interrupted download ${earlier.id}.\n`);
        const job = earlier ?? app.jobs.enqueue(MODEL_DOWNLOAD_JOB, payload);
        const result = await runWithByteProgress(app, job.id, `Downloading ${payload.fileName}`);
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(result) + '\n');
        else
          process.stdout.write(
            `Installed ${result.id} at ${result.path} (${formatBytes(result.bytes)}, ${result.verified ? 'checksum verified' : 'UNVERIFIED: no published checksum'})\n`,
          );
      });
    });

  models
    .command('import <file>')
    .description('Copy a .gguf (or convert a llama2.c .bin checkpoint with --tokenizer) into the models folder')
    .option('--tokenizer <file>', 'llama2.c tokenizer.bin, for .bin checkpoints')
    .option('--name <name>', 'file name in the models folder (default: from the source)')
    .action(async (file: string, opts: { tokenizer?: string; name?: string }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const result = await importModel(app, path.resolve(file), opts);
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(result) + '\n');
        else
          process.stdout.write(
            `Imported ${result.id} at ${result.path} (${formatBytes(result.sizeBytes)}; not verified against a published checksum)\n`,
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
    .option('--stop <s...>', 'stop strings')
    .action(async (promptWords: string[], opts: GenerateOptions, cmd: Command) => {
      await withApp(cmd, (app) => generateCommand(app, promptWords.join(' '), opts, Boolean(globalOptions(cmd).json)));
    });

  const endpoints = models
    .command('endpoints')
    .description('Remote OpenAI-compatible endpoints (keys kept in the key store, not the database)');
  endpoints
    .command('add <name> <baseUrl>')
    .option('--api-key-env <var>', 'read the API key from this environment variable')
    .option('--pool <name>', 'serve together with other endpoints of this pool as provider pool:<name>')
    .action(async (name: string, baseUrl: string, opts: { apiKeyEnv?: string; pool?: string }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const apiKey = opts.apiKeyEnv ? requireEnv(opts.apiKeyEnv) : undefined;
        const ep = await registry(app).add({ name, baseUrl, ...(apiKey ? { apiKey } : {}), pool: opts.pool ?? null });
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(publicEndpoint(ep)) + '\n');
        else
          process.stdout.write(
            `Added endpoint ${ep.name} (${ep.id}) at ${ep.baseUrl}; use --provider endpoint:${ep.name}\n`,
          );
      });
    });
  endpoints.command('remove <idOrName>').action(async (idOrName: string, _opts: unknown, cmd: Command) => {
    await withApp(cmd, async (app) => {
      await registry(app).remove(idOrName);
      process.stdout.write(`Removed ${idOrName}\n`);
    });
  });

  const authors = models
    .command('authors')
    .description('Model authors (co-writers with a provider, model, sampling and persona)');
  authors.command('list').action(async (_opts: unknown, cmd: Command) => {
    await withApp(cmd, (app) => {
      const rows = new AuthorService(app.store.db).list();
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
    .requiredOption('--provider <ref>', 'local | ollama | endpoint:<id> | pool:<name>')
    .requiredOption('--model <id>', 'model id for that provider')
    .option('--system <text>', 'persona / system prompt')
    .option('--temperature <t>', 'default temperature', toFloat)
    .option('--max-tokens <n>', 'default maximum new tokens', toInt)
    .option('--color <css>', 'highlight colour')
    .action(
      async (
        name: string,
        opts: {
          provider: string;
          model: string;
          system?: string;
          temperature?: number;
          maxTokens?: number;
          color?: string;
        },
        cmd: Command,
      ) => {
        await withApp(cmd, (app) => {
          const sampling: GenerationSettings = {};
          if (opts.temperature !== undefined) sampling.temperature = opts.temperature;
          if (opts.maxTokens !== undefined) sampling.maxTokens = opts.maxTokens;
          const provider = normalizeProviderRef(registry(app), opts.provider);
          const author = new AuthorService(app.store.db).createModelAuthor({
            name,
            provider,
            // The local engine wants its own id (file path without .gguf), not the installed-model id.
            model: provider === 'local' ? localModelId(app, opts.model) : opts.model,
            sampling,
            systemPrompt: opts.system ?? null,
            ...(opts.color ? { color: opts.color } : {}),
          });
          if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(author) + '\n');
          else process.stdout.write(`Created author ${author.name} (${author.id})\n`);
        });
      },
    );
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
  stop?: string[];
}

async function generateCommand(app: App, prompt: string, opts: GenerateOptions, json: boolean): Promise<void> {
  if (!opts.author && !opts.model) throw new CliError('Give --author ID or --model ID.', 2);
  const settings: GenerationSettings = {};
  if (opts.maxTokens !== undefined) settings.maxTokens = opts.maxTokens;
  if (opts.temperature !== undefined) settings.temperature = opts.temperature;
  if (opts.topP !== undefined) settings.topP = opts.topP;
  if (opts.topK !== undefined) settings.topK = opts.topK;
  if (opts.seed !== undefined) settings.seed = opts.seed;
  if (opts.stop?.length) settings.stop = opts.stop;

  const endpoints = registry(app);
  const resolver = new ProviderResolver({ endpoints, local: () => createLocal(app) });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let adHoc: LlmProvider | undefined;
  try {
    let parts: AsyncIterable<GenerationPart>;
    if (opts.author) {
      parts = generateWithAuthor(
        { authors: new AuthorService(app.store.db), providers: resolver },
        {
          authorId: opts.author,
          prompt,
          mode: opts.completion ? 'completion' : 'chat',
          settings,
          signal: abort.signal,
        },
      );
    } else {
      const model = opts.model!;
      let provider: LlmProvider;
      let modelId = model;
      if (opts.baseUrl) {
        const apiKey = opts.apiKeyEnv ? requireEnv(opts.apiKeyEnv) : undefined;
        provider = adHoc = new OpenAiCompatibleProvider({ baseUrl: opts.baseUrl, ...(apiKey ? { apiKey } : {}) });
      } else {
        const ref = normalizeProviderRef(endpoints, opts.provider ?? 'local');
        provider = await resolver.resolve(ref);
        if (ref === 'local') modelId = localModelId(app, model);
      }
      const messages: ChatMessage[] = opts.system ? [{ role: 'system', content: opts.system }] : [];
      messages.push({ role: 'user', content: prompt });
      const request: GenerationRequest = opts.completion
        ? { kind: 'completion', model: modelId, prompt, ...settings }
        : { kind: 'chat', model: modelId, messages, ...settings };
      parts = provider.generate(request, abort.signal);
    }
    let text = '';
    let finish: Extract<GenerationPart, { type: 'finish' }> | undefined;
    for await (const part of parts) {
      if (part.type === 'text') {
        text += part.text;
        if (!json) process.stdout.write(part.text);
      } else finish = part;
    }
    if (json) {
      process.stdout.write(JSON.stringify({ text, finish }) + '\n');
    } else {
      process.stdout.write('\n');
      if (finish) {
        const t = finish.timings;
        process.stderr.write(
          `[${finish.reason}; ${finish.usage.promptTokens} prompt + ${finish.usage.completionTokens} completion tokens; ` +
            `first token ${Math.round(t.timeToFirstTokenMs)} ms; ${t.tokensPerSecond.toFixed(1)} tok/s; ${Math.round(t.totalMs)} ms]\n`,
        );
      }
    }
  } catch (e) {
    if (LlmError.isInstance(e)) throw new CliError(e.userMessage);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    await adHoc?.dispose();
    await resolver.dispose();
  }
}

/** The local engine over this data folder's models (loaded lazily: node-llama-cpp is heavy). */
async function createLocal(app: App): Promise<LlmProvider> {
  const { createLocalProvider } = await import('../../llm/local');
  return createLocalProvider({ modelsDir: modelsDirFor(app.store.dataDir) });
}

/** The local engine names models by path under the models folder without `.gguf`. */
function localModelId(app: App, model: string): string {
  const installed = findInstalledModel(app.store.db, model);
  const dir = modelsDirFor(app.store.dataDir);
  if (installed && installed.path.startsWith(dir + path.sep))
    return path.relative(dir, installed.path).replace(/\.gguf$/i, '');
  return model.replace(/\.gguf$/i, '');
}

function pullPayload(idOrUrl: string, opts: { sha256?: string; file?: string }): ModelDownloadPayload {
  const entry = findCatalogEntry(idOrUrl);
  if (entry) {
    return {
      url: entry.url,
      fileName: entry.fileName,
      sha256: entry.sha256,
      catalogId: entry.id,
      ...(entry.sizeIsExact ? { expectedSize: entry.sizeBytes } : {}),
    };
  }
  if (!/^https?:\/\//.test(idOrUrl)) {
    throw new CliError(
      `Unknown model "${idOrUrl}". Known: ${listCatalog()
        .map((e) => e.id)
        .join(', ')} (or give an https:// URL).`,
      2,
    );
  }
  const fileName = opts.file ?? decodeURIComponent(new URL(idOrUrl).pathname.split('/').pop() ?? '');
  if (!/\.gguf$/i.test(fileName)) throw new CliError('Only .gguf files can be pulled; pass --file NAME.gguf.', 2);
  if (opts.sha256 && !/^[0-9a-f]{64}$/i.test(opts.sha256)) throw new CliError('--sha256 must be 64 hex digits.', 2);
  return { url: idOrUrl, fileName, sha256: opts.sha256?.toLowerCase() ?? null };
}

/**
 * Runs the job to the end with a byte-aware progress line on stderr. Ctrl-C stops the runner
 * without cancelling: the partial file and checkpoint stay, and the same `pull` resumes them
 * (`palimpsest jobs cancel ID` discards them instead).
 */
async function runWithByteProgress(app: App, jobId: string, label: string): Promise<ModelDownloadResult> {
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

async function importModel(app: App, file: string, opts: { tokenizer?: string; name?: string }) {
  if (!fs.existsSync(file)) throw new CliError(`No such file: ${file}`, 2);
  const dir = modelsDirFor(app.store.dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const isGguf = /\.gguf$/i.test(file);
  const fileName = (opts.name ?? path.basename(file)).replace(/\.(gguf|bin)$/i, '') + '.gguf';
  if (/[/\\]/.test(fileName)) throw new CliError('--name must be a plain file name.', 2);
  const dest = path.join(dir, fileName);
  if (fs.existsSync(dest)) throw new CliError(`${dest} already exists; pass --name to import under another name.`);
  if (isGguf) {
    // Validate before copying: a renamed HTML page or a truncated file must not look installed.
    await readGgufInfo(file).catch((e: unknown) => {
      throw new CliError(
        `${file} is not a usable GGUF file: ${(e as { userMessage?: string }).userMessage ?? String(e)}`,
      );
    });
    const tmp = `${dest}.part`;
    fs.copyFileSync(file, tmp);
    fs.renameSync(tmp, dest);
  } else {
    if (!opts.tokenizer) throw new CliError('A llama2.c checkpoint needs --tokenizer tokenizer.bin.', 2);
    await convertLlama2cToGguf({ checkpoint: file, tokenizer: path.resolve(opts.tokenizer), output: dest });
  }
  const record = {
    id: modelIdFromFileName(fileName),
    fileName,
    path: dest,
    sizeBytes: fs.statSync(dest).size,
    sha256: await hashFile(dest),
    verified: false,
    catalogId: null,
    source: 'import' as const,
  };
  recordInstalledModel(app.store.db, record);
  return record;
}

function registry(app: App): EndpointRegistry {
  return new EndpointRegistry(app.store.db, openFileSecretStore(app.store.dataDir));
}

/** Accepts `endpoint:<name>` as well as `endpoint:<id>` and stores the id. */
function normalizeProviderRef(endpoints: EndpointRegistry, ref: string): string {
  if (!ref.startsWith('endpoint:')) return ref;
  try {
    return `endpoint:${endpoints.get(ref.slice('endpoint:'.length)).id}`;
  } catch {
    throw new CliError(`Unknown endpoint in "${ref}". Add it with: palimpsest models endpoints add NAME URL`, 2);
  }
}

function publicEndpoint(e: Endpoint) {
  return {
    id: e.id,
    name: e.name,
    baseUrl: e.baseUrl,
    kind: e.kind,
    hasKey: e.keyRef !== null,
    pool: e.pool,
    enabled: e.enabled,
  };
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
