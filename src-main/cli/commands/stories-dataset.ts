import path from 'node:path';
import { Option, type Command } from 'commander';
import { CliError } from '../output';
import { runJobToEnd } from '../run-job';
import { globalOptions, withCaller } from '../with-app';

/** "80,10,10" → [80, 10, 10]; anything else is a usage error (exit 2). */
function splitOption(value: string): [number, number, number] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length !== 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) {
    throw new CliError(`--split must be three numbers train,validation,test (e.g. 80,10,10), got "${value}".`, 2);
  }
  const split = parts.map(Number) as [number, number, number];
  if (split[0] + split[1] + split[2] <= 0) throw new CliError('--split needs a positive share.', 2);
  return split;
}

function seedOption(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 2 ** 31 - 1) {
    throw new CliError(`--seed must be a whole number from 0 to 2147483647 (got "${value}").`, 2);
  }
  return Number(value);
}

/** `palimpsest stories export|analyze` (datasets and authorship analysis), under the `stories` group. */
export function registerStoryDataset(stories: Command): void {
  stories
    .command('export <dir>')
    .description(
      'Write a dataset folder: stories.jsonl/.csv/.parquet, pan/{train,validation,test} (PAN format), README.md',
    )
    .addOption(
      new Option('--unit <unit>', 'PAN unit: one paragraph or one sentence a line')
        .choices(['paragraph', 'sentence'])
        .default('paragraph'),
    )
    .option('--split <train,validation,test>', 'split percentages', '80,10,10')
    .option('--seed <n>', 'seed of the split shuffle', '0')
    .option('--batch <id>', 'only the stories of this batch')
    .action(
      async (
        dir: string,
        opts: { unit: 'paragraph' | 'sentence'; split: string; seed: string; batch?: string },
        cmd: Command,
      ) => {
        const split = splitOption(opts.split);
        const seed = seedOption(opts.seed);
        await withCaller(cmd, async (api, app) => {
          const { jobId } = await api.stories.export({
            dir: path.resolve(dir),
            unit: opts.unit,
            split,
            seed,
            batchId: opts.batch ?? null,
          });
          const result = await runJobToEnd<{
            dir: string;
            stories: number;
            splits: { train: number; validation: number; test: number };
          }>(app, jobId, 'Exporting');
          if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(result) + '\n');
          else {
            const s = result.splits;
            process.stdout.write(
              `Exported ${result.stories} stories to ${result.dir} ` +
                `(PAN: ${s.train} train, ${s.validation} validation, ${s.test} test).\n`,
            );
          }
        });
      },
    );

  const analyze = stories
    .command('analyze')
    .description('Style change analysis (PAN multi-author tasks): train on exported truth, predict solutions');

  analyze
    .command('train <dir>')
    .description("Fit the analysis on a folder of PAN problems with truth (an export's pan/train)")
    .action(async (dir: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const r = await api.stories.analysisTrain({ dir: path.resolve(dir) });
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify(r) + '\n');
        else {
          process.stdout.write(
            `Trained on ${r.problems} problems (${r.pairs} unit pairs): macro F1 ${r.trainF1?.toFixed(3)} ` +
              `on the training problems` +
              (r.validationF1 === null ? '' : `, ${r.validationF1.toFixed(3)} on the validation split`) +
              `, threshold ${r.threshold}.\n`,
          );
          if (r.skipped.length > 0) {
            process.stderr.write(`  skipped (truth does not match the units): ${r.skipped.join(', ')}\n`);
          }
        }
      });
    });

  analyze
    .command('predict <problemsDir>')
    .description('Write solution-problem-N.json {"authors", "changes"} for each problem-N.txt (PAN format)')
    .requiredOption('--output <dir>', 'folder for the solution files')
    .action(async (problemsDir: string, opts: { output: string }, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const model = await api.stories.analysisModel();
        const r = await api.stories.analysisPredict({
          dir: path.resolve(problemsDir),
          output: path.resolve(opts.output),
        });
        if (globalOptions(cmd).json) process.stdout.write(JSON.stringify({ ...r, model }) + '\n');
        else process.stdout.write(`Wrote ${r.problems} solution files to ${r.outDir} (model: ${model.name}).\n`);
      });
    });
}
