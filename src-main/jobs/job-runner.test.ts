import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tempDir } from '../../test/helpers/temp-dir';
import { openStore, type Store } from '../store';
import { JobRunner } from './job-runner';
import type { JobRecord } from './types';

/** Counts items 0..n-1 into a table, one checkpointed step per item. */
function counterJob(delayMs = 0) {
  return {
    kind: 'test.count',
    payloadSchema: z.object({ n: z.number().int().positive() }),
    async run(ctx: import('./types').JobContext<{ n: number }, { i: number }>) {
      let i = ctx.state?.i ?? 0;
      while (i < ctx.payload.n) {
        const item = i;
        ctx.step((db) => db.prepare('INSERT INTO seen (item) VALUES (?)').run(item), {
          state: { i: item + 1 },
          done: item + 1,
          total: ctx.payload.n,
        });
        i = item + 1;
        await sleep(delayMs);
      }
      return { counted: i };
    },
  };
}

describe('JobRunner', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore({ dataDir: tempDir() });
    store.db.exec('CREATE TABLE seen (item INTEGER PRIMARY KEY)');
  });
  afterEach(() => store.close());

  it('runs a job to the end with progress events and a result', async () => {
    const jobs = new JobRunner(store.db, { progressIntervalMs: 0 });
    jobs.register(counterJob());
    const events: JobRecord[] = [];
    jobs.onDidChangeJob((j) => events.push(j));
    jobs.start();
    const job = jobs.enqueue('test.count', { n: 20 });
    await jobs.whenIdle();
    const done = jobs.get(job.id);
    expect(done).toMatchObject({ status: 'succeeded', done: 20, total: 20, result: { counted: 20 } });
    expect(events.some((e) => e.status === 'running' && e.done > 0 && e.done < 20)).toBe(true);
    expect(store.db.prepare('SELECT COUNT(*) FROM seen').pluck().get()).toBe(20);
  });

  it('leaves a large payload out of progress events but keeps it on the job', async () => {
    const jobs = new JobRunner(store.db, { progressIntervalMs: 0 });
    jobs.register({
      ...counterJob(),
      payloadSchema: z.object({ n: z.number().int().positive(), note: z.string() }),
    } as never);
    const events: JobRecord[] = [];
    jobs.onDidChangeJob((j) => events.push(j));
    jobs.start();
    const job = jobs.enqueue('test.count', { n: 5, note: 'x'.repeat(10_000) });
    await jobs.whenIdle();
    const progress = events.filter((e) => e.status === 'running' && e.done > 0);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((e) => e.payload === undefined)).toBe(true);
    expect(events.at(-1)!.payload).toMatchObject({ n: 5 });
    expect(jobs.get(job.id).payload).toMatchObject({ n: 5 });
  });

  it('validates payloads at enqueue', () => {
    const jobs = new JobRunner(store.db);
    jobs.register(counterJob());
    expect(() => jobs.enqueue('test.count', { n: -1 })).toThrow(/Invalid test.count job/);
    expect(() => jobs.enqueue('nope', {})).toThrow(/Unknown job kind/);
    expect(jobs.list()).toEqual([]);
  });

  it('cancels a running job, keeping checkpointed work', async () => {
    const jobs = new JobRunner(store.db);
    jobs.register(counterJob(5));
    jobs.start();
    const job = jobs.enqueue('test.count', { n: 1000 });
    await sleep(60);
    jobs.cancel(job.id);
    await jobs.whenIdle();
    const after = jobs.get(job.id);
    expect(after.status).toBe('cancelled');
    expect(after.done).toBeGreaterThan(0);
    expect(after.done).toBeLessThan(1000);
    expect(store.db.prepare('SELECT COUNT(*) FROM seen').pluck().get()).toBe(after.done);
  });

  it('resumes an interrupted job from its checkpoint in a new runner', async () => {
    const first = new JobRunner(store.db);
    first.register(counterJob(5));
    first.start();
    const job = first.enqueue('test.count', { n: 40 });
    await sleep(60);
    await first.stop(); // like a crash: the row stays 'running'
    expect(first.get(job.id).status).toBe('running');
    const second = new JobRunner(store.db);
    second.register(counterJob(0));
    second.start();
    await second.whenIdle();
    expect(second.get(job.id).status).toBe('succeeded');
    expect(store.db.prepare('SELECT COUNT(*) FROM seen').pluck().get()).toBe(40); // PRIMARY KEY: no item twice
  });

  it('marks a throwing job failed with its message', async () => {
    const jobs = new JobRunner(store.db);
    jobs.register({
      kind: 'test.fail',
      payloadSchema: z.object({}),
      run: async () => {
        throw new Error('boom');
      },
    });
    jobs.start();
    const job = jobs.enqueue('test.fail', {});
    await jobs.whenIdle();
    expect(jobs.get(job.id)).toMatchObject({ status: 'failed', error: 'boom' });
  });
});
