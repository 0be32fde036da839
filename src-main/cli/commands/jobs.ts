import type { Command } from 'commander';
import { printRows } from '../output';
import { runJobToEnd } from '../run-job';
import { globalOptions, withCaller } from '../with-app';

/** `palimpsest jobs list|resume|cancel`, through the jobs API procedures. */
export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('Background jobs: list, resume after a crash, cancel');
  jobs
    .command('list')
    .description('Recent jobs with their status and progress')
    .action(async (_opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const rows = await api.jobs.list();
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
    .description(
      'Run queued and interrupted jobs to the end (jobs another running Palimpsest process holds are left to it)',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api, app) => {
        const { resumable, heldElsewhere } = await api.jobs.resume();
        for (const j of heldElsewhere)
          process.stderr.write(
            `${j.id}: running in another Palimpsest process (pid ${j.holder?.pid} on ${j.holder?.host}); left to it.\n`,
          );
        for (const j of resumable)
          await runJobToEnd(app, j.id, `Resuming ${j.kind}`).catch((e) =>
            process.stderr.write(`${j.id}: ${String(e.message ?? e)}\n`),
          );
        const json = globalOptions(cmd).json;
        const pending = [...resumable, ...heldElsewhere];
        if (json)
          process.stdout.write(
            JSON.stringify(await Promise.all(pending.map((j) => api.jobs.get({ id: j.id })))) + '\n',
          );
        else process.stdout.write(`Resumed ${resumable.length} job(s).\n`);
      });
    });
  jobs
    .command('cancel <id>')
    .description('Cancel a queued or running job (one running in another process stops at its next step)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withCaller(cmd, async (api) => {
        const job = await api.jobs.cancel({ id });
        process.stdout.write(`${id}: ${job.status}\n`);
      });
    });
}
