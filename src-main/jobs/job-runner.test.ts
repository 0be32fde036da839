import { spawnSync } from 'node:child_process';
import os from 'node:os';
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

describe('JobRunner leases: several processes on one data folder', () => {
  let dir: string;
  let stores: Store[];
  const open = () => {
    const s = openStore({ dataDir: dir });
    stores.push(s);
    return s;
  };
  beforeEach(() => {
    dir = tempDir();
    stores = [];
    open().db.exec('CREATE TABLE seen (item INTEGER PRIMARY KEY)');
  });
  afterEach(() => {
    for (const s of stores) s.close();
  });

  /** A job that notes each run it starts in `starts` (a resumed run counts too), then counts slowly. */
  function trackedJob(starts: string[], delayMs: number, record = true) {
    const inner = counterJob(delayMs);
    return {
      ...inner,
      run(ctx: import('./types').JobContext<{ n: number }, { i: number }>) {
        starts.push(ctx.jobId);
        if (record) return inner.run(ctx);
        // Steps without rows: several of these jobs share the item numbers.
        return (async () => {
          for (let i = ctx.state?.i ?? 0; i < ctx.payload.n; i++) {
            ctx.step(() => {}, { state: { i: i + 1 }, done: i + 1, total: ctx.payload.n });
            await sleep(delayMs);
          }
          return { counted: ctx.payload.n };
        })();
      },
    };
  }
  const count = (s: Store) => s.db.prepare('SELECT COUNT(*) FROM seen').pluck().get();

  it('never starts a job that another live runner holds: each job runs once', async () => {
    const starts: string[] = [];
    const a = new JobRunner(open().db, { progressIntervalMs: 0 });
    const b = new JobRunner(open().db, { progressIntervalMs: 0 });
    a.register(trackedJob(starts, 2, false));
    b.register(trackedJob(starts, 2, false));
    a.start();
    const first = a.enqueue('test.count', { n: 30 });
    await sleep(20); // a is running it when b starts: b must not re-queue it
    b.start();
    expect(b.get(first.id).holder).toMatchObject({ pid: process.pid });
    const ids = [first.id];
    for (let i = 0; i < 6; i++) ids.push((i % 2 ? a : b).enqueue('test.count', { n: 5 }).id);
    const done = await Promise.all(ids.map((id) => a.whenDone(id)));
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    expect(done.every((j) => j.status === 'succeeded')).toBe(true);
    expect([...starts].sort()).toEqual([...ids].sort());
    await Promise.all([a.stop(), b.stop()]);
  });

  it('resumes the job of a runner whose heartbeat stopped (a crash), once its lease expires', async () => {
    const starts: string[] = [];
    const crashed = open();
    const a = new JobRunner(crashed.db, { leaseMs: 300, heartbeatMs: 50 });
    a.register({
      kind: 'test.count',
      payloadSchema: z.object({ n: z.number() }),
      run: (ctx) => {
        starts.push(ctx.jobId);
        return new Promise(() => {}); // hangs like a frozen process
      },
    });
    a.start();
    const job = a.enqueue('test.count', { n: 10 });
    await sleep(20);
    crashed.close(); // no more heartbeats: the lease runs out

    const store = open();
    const b = new JobRunner(store.db, { leaseMs: 300, heartbeatMs: 50 });
    b.register(trackedJob(starts, 0));
    const t0 = Date.now();
    b.start();
    expect(b.get(job.id).holder).not.toBeNull(); // the lease is still valid: not b's to take yet
    expect(b.resume().heldElsewhere.map((j) => j.id)).toEqual([job.id]);
    const done = await b.whenDone(job.id);
    expect(done.status).toBe('succeeded');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(starts).toEqual([job.id, job.id]);
    expect(count(store)).toBe(10);
    await b.stop();
  });

  it('a runner that stalled past its lease commits no step the new owner also does', async () => {
    const sa = open();
    const a = new JobRunner(sa.db, { leaseMs: 80, heartbeatMs: 60_000 }); // heartbeat too late to keep the lease
    a.register(counterJob(10));
    a.start();
    const job = a.enqueue('test.count', { n: 40 });
    await sleep(120);
    const sb = open();
    const b = new JobRunner(sb.db, { leaseMs: 60_000 });
    b.register(counterJob(1));
    b.start(); // takes over from the checkpoint; a's next step finds it lost the job
    const done = await b.whenDone(job.id);
    await a.whenIdle();
    expect(done).toMatchObject({ status: 'succeeded', done: 40 });
    expect(count(sb)).toBe(40); // PRIMARY KEY: a duplicate item would have failed a step
    expect(b.get(job.id).status).toBe('succeeded'); // a did not overwrite the outcome
    await Promise.all([a.stop(), b.stop()]);
  });

  it('resumes at once a job whose owner pid is gone, and cancels across runners', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const store = open();
    const now = Date.now();
    store.db
      .prepare(
        `INSERT INTO jobs (id, kind, status, payload, state, done, created_at, updated_at, owner, lease_expires_at)
         VALUES ('job_dead', 'test.count', 'running', '{"n":8}', '{"i":3}', 3, ?, ?, ?, ?)`,
      )
      .run(now, now, `${os.hostname()}:${dead}:abcd`, now + 3_600_000);
    const b = new JobRunner(store.db);
    b.register(counterJob(0));
    expect(b.get('job_dead').holder).toBeNull();
    expect(b.resume().resumable.map((j) => j.id)).toEqual(['job_dead']);
    expect(await b.whenDone('job_dead')).toMatchObject({ status: 'succeeded', done: 8 });
    expect(count(store)).toBe(5); // items 3..7: resumed from the checkpoint

    store.db.exec('DELETE FROM seen');
    const a = new JobRunner(open().db);
    a.register(counterJob(10));
    a.start();
    const long = a.enqueue('test.count', { n: 1000 });
    await sleep(40);
    b.cancel(long.id); // b does not hold it: a stops at its next step
    expect((await b.whenDone(long.id)).status).toBe('cancelled');
    await Promise.all([a.stop(), b.stop()]);
  });
});
