import type { Command } from 'commander';
import { printRows } from '../output';
import { globalOptions, withApp } from '../with-app';
import { runJobToEnd } from '../run-job';

/** `palimpsest jobs list|resume|cancel`. */
export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('Background jobs: list, resume after a crash, cancel');
  jobs
    .command('list')
    .description('Recent jobs with their status and progress')
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, (app) => {
        const rows = app.jobs.list();
        const json = globalOptions(cmd).json;
        printRows(
          json
            ? rows
            : rows.map((j) => ({
                id: j.id,
                kind: j.kind,
                status: j.status,
                progress: j.total ? `${j.done}/${j.total}` : String(j.done),
                error: j.error ?? '',
              })),
          json,
        );
      });
    });
  jobs
    .command('resume')
    .description('Run queued and interrupted jobs to the end')
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const pending = app.jobs.list(1000).filter((j) => j.status === 'queued' || j.status === 'running');
        for (const j of pending)
          await runJobToEnd(app, j.id, `Resuming ${j.kind}`).catch((e) =>
            process.stderr.write(`${j.id}: ${String(e.message ?? e)}\n`),
          );
        const json = globalOptions(cmd).json;
        if (json) process.stdout.write(JSON.stringify(pending.map((j) => app.jobs.get(j.id))) + '\n');
        else process.stdout.write(`Resumed ${pending.length} job(s).\n`);
      });
    });
  jobs
    .command('cancel <id>')
    .description('Cancel a queued job')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, (app) => {
        const job = app.jobs.cancel(id);
        process.stdout.write(`${id}: ${job.status}\n`);
      });
    });
}
