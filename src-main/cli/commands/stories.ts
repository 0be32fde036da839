import fs from 'node:fs';
import { Option, type Command } from 'commander';
import type { Story, StoryConfigInput } from '../../stories/common/contract';
import { CliError, printRows } from '../output';
import { runJobToEnd } from '../run-job';
import { globalOptions, withCaller } from '../with-app';

interface ConfigOptions {
  preset?: string;
  seed?: string;
  context?: 'summary' | 'full';
  partsPerAuthor?: string;
  words?: string;
  minWords?: string;
  maxTokens?: string;
}

/** A whole number option, or a usage error (exit 2). */
function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new CliError(`${name} must be a whole number (got "${value}").`, 2);
  return Number(value);
}

function configFrom(o: ConfigOptions): StoryConfigInput {
  const config: StoryConfigInput = {};
  if (o.preset) config.preset = o.preset;
  const seed = int(o.seed, '--seed');
  if (seed !== undefined) config.seed = seed;
  if (o.context) config.context = o.context;
  const parts = int(o.partsPerAuthor, '--parts-per-author');
  if (parts !== undefined) config.partsPerAuthor = parts;
  const words = int(o.words, '--words');
  if (words !== undefined) config.wordsPerPart = words;
  const minWords = int(o.minWords, '--min-words');
  if (minWords !== undefined) config.minWords = minWords;
  const maxTokens = int(o.maxTokens, '--max-tokens');
  if (maxTokens !== undefined) config.maxTokens = maxTokens;
  return config;
}

function withConfigOptions(cmd: Command): Command {
  return cmd
    .option('--preset <id>', 'collabstory (default) or custom')
    .option('--seed <n>', 'base seed: part i uses seed + i (same seed and settings → same story)')
    .addOption(new Option('--context <mode>', 'what later authors see').choices(['summary', 'full']))
    .option('--parts-per-author <n>', 'turns each author takes (default 1)')
    .option('--words <n>', 'target words per part (collabstory: 180)')
    .option('--min-words <n>', 'regenerate parts shorter than this (collabstory: 160; 0 = never)')
    .option('--max-tokens <n>', 'new tokens per part (collabstory: 260)');
}

/** "A,B,C" → ["A","B","C"]; empty names are a usage error. */
function authorList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.length === 0 || names.some((n) => !n)) throw new CliError(`Bad author list "${value}": use A,B,C.`, 2);
  return names;
}

function printStory(story: Story): void {
  const out = [`# ${story.prompt}`, ''];
  for (const p of story.parts)
    out.push(`[${p.index + 1}] ${p.authorName}${p.model ? ` (${p.model})` : ''}`, p.text, '');
  out.push(
    `Status: ${story.status}${story.error ? ` — ${story.error}` : ''} · story ${story.id} · document ${story.documentId}`,
  );
  process.stdout.write(out.join('\n') + '\n');
}

/** `palimpsest stories run|batch|list` (generation); returns the group for the dataset commands. */
export function registerStories(program: Command): Command {
  const stories = program
    .command('stories')
    .description('Multi-LLM collaborative stories: generate, list, export, analyze');

  withConfigOptions(
    stories
      .command('run')
      .description('Write one story with 1 to 5 authors taking turns, and print it')
      .requiredOption('--prompt <text>', 'the story prompt')
      .requiredOption('--authors <list>', 'authors in order, by id or name: A,B,C'),
  ).action(async (opts: ConfigOptions & { prompt: string; authors: string }, cmd: Command) => {
    const authorIds = authorList(opts.authors);
    const config = configFrom(opts);
    await withCaller(cmd, async (api, app) => {
      const { storyId, jobId } = await api.stories.run({ prompt: opts.prompt, authorIds, config });
      await runJobToEnd(app, jobId, 'Writing the story');
      const story = await api.stories.get({ id: storyId });
      if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(story, null, 2) + '\n');
      else printStory(story);
      if (story.status === 'failed') throw new CliError(story.error ?? 'The story could not be written.');
    });
  });

  withConfigOptions(
    stories
      .command('batch')
      .description('Write prompts × author sets (× orders) as one resumable job')
      .requiredOption('--prompts <file>', 'prompts: .txt (one a line), .csv (a prompt column) or .jsonl ({"prompt"})')
      .requiredOption('--authors <sets>', 'author sets separated by ";": "A,B,C;A,B;C"')
      .addOption(
        new Option('--orders <orders>', 'each set as given, or in every order')
          .choices(['given', 'all'])
          .default('given'),
      ),
  ).action(
    async (opts: ConfigOptions & { prompts: string; authors: string; orders: 'given' | 'all' }, cmd: Command) => {
      const authorSets = opts.authors
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(authorList);
      if (authorSets.length === 0) throw new CliError('Give at least one author set: --authors "A,B;C".', 2);
      const config = configFrom(opts);
      let content: string;
      try {
        content = fs.readFileSync(opts.prompts, 'utf8');
      } catch (e) {
        throw new CliError(`Cannot read ${opts.prompts}: ${(e as Error).message}`);
      }
      await withCaller(cmd, async (api, app) => {
        const parsed = await api.stories.parsePrompts({ fileName: opts.prompts, content });
        for (const e of parsed.errors) process.stderr.write(`${opts.prompts}:${e.line}: ${e.message} (skipped)\n`);
        if (parsed.prompts.length === 0) throw new CliError(`No prompts in ${opts.prompts}.`);
        const started = await api.stories.batch({ prompts: parsed.prompts, authorSets, orders: opts.orders, config });
        process.stderr.write(`Batch ${started.batchId}: ${started.stories} stories (job ${started.jobId})\n`);
        const result = await runJobToEnd<{ done: number; failed: number; awaitingHuman: number }>(
          app,
          started.jobId,
          'Writing stories',
        );
        const summary = { batchId: started.batchId, jobId: started.jobId, stories: started.stories, ...result };
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        else
          process.stdout.write(
            `${result.done} written, ${result.failed} failed${result.awaitingHuman ? `, ${result.awaitingHuman} waiting for your part` : ''} (batch ${started.batchId})\n`,
          );
      });
    },
  );

  stories
    .command('list')
    .description('List stored stories, newest first')
    .option('--batch <id>', 'only this batch')
    .option('--author <id>', 'only stories with this author')
    .action(async (opts: { batch?: string; author?: string }, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const { items } = await api.stories.list({
          limit: 10_000,
          ...(opts.batch && { batchId: opts.batch }),
          ...(opts.author && { authorId: opts.author }),
        });
        const json = globalOptions(cmd).json;
        printRows(
          json
            ? items
            : items.map((s) => ({
                id: s.id,
                status: s.status,
                authors: s.authors.map((a) => a.name).join(', '),
                parts: s.parts,
                words: s.words,
                prompt: s.prompt,
              })),
          json,
        );
      });
    });

  return stories;
}
