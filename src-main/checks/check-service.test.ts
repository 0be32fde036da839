import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { AppError, notFound } from '../core/app-error';
import { DetectionError, REFERENCE_TEXT, type TokenScores } from '../detection';
import { JobRunner } from '../jobs';
import { openStore, type Store } from '../store';
import { BATCH_JOB, registerCheckJobs } from './batch-job';
import { CheckService } from './check-service';
import { cell } from './csv';
import { FakeDetectorPool } from './fake-detector-pool';
import type { LmScorer } from './lm-assist';

const LONG =
  'Furthermore, comprehensive educational considerations fundamentally necessitate thoughtful deliberation regarding institutional scheduling.';
const PLAIN = 'we went to the lake and it was cold but fun and we ate some food by the water.';

/** Polls until `cond` holds (timing-independent under CPU contention). */
async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function setup(store: Store, pool: FakeDetectorPool, chunkItems = 1) {
  const jobs = new JobRunner(store.db, { progressIntervalMs: 0 });
  const checks = new CheckService(store.db, jobs, pool, { modelsDir: tempDir() });
  registerCheckJobs(jobs, checks, pool, { chunkItems });
  return { jobs, checks };
}

describe('CheckService', () => {
  let store: Store;
  let pool: FakeDetectorPool;
  beforeEach(() => {
    store = openStore({ dataDir: tempDir() });
    pool = new FakeDetectorPool();
  });
  afterEach(() => store.close());

  it('checks pasted text and stores it as a check with its text', async () => {
    const { checks } = setup(store, pool);
    const detail = await checks.checkText({ text: `${PLAIN}\r\n${LONG}` });
    expect(detail).toMatchObject({ kind: 'text', status: 'succeeded', total: 1, done: 1, failed: 0 });
    expect(detail.items[0]!.text).toBe(`${PLAIN}\n${LONG}`); // line endings normalised
    expect(detail.items[0]!.result!.segments).toHaveLength(2);
    expect(checks.list().map((c) => c.id)).toEqual([detail.id]);
    expect(checks.get(detail.id).items[0]!.text).toBeUndefined(); // texts only via getItem
  });

  it('maps detection errors to API errors: empty text is a bad request, a missing model unavailable', async () => {
    const { checks } = setup(store, pool);
    await expect(checks.checkText({ text: '   ' })).rejects.toMatchObject({ name: 'AppError', code: 'bad_request' });
    pool.failWith = new DetectionError('model_missing', 'The detection model is not installed.');
    await expect(checks.checkText({ text: LONG })).rejects.toMatchObject({
      code: 'unavailable',
      userMessage: expect.stringContaining('not installed'),
    });
    expect(checks.list()).toEqual([]);
    expect(checks.status()).toMatchObject({ modelAvailable: false, activeProfile: null });
  });

  it('runs a batch of browser files as a job, item by item, with per-item errors', async () => {
    const { jobs, checks } = setup(store, pool, 2);
    jobs.start();
    const { check, job } = checks.startBatch({
      files: [
        { name: 'a.txt', text: LONG },
        { name: 'b.txt', text: ' ' },
        { name: 'c.md', text: PLAIN },
      ],
    });
    expect(job.kind).toBe(BATCH_JOB);
    expect(check).toMatchObject({ kind: 'batch', total: 3, done: 0 });
    await jobs.whenIdle();
    const done = checks.get(check.id);
    expect(done).toMatchObject({ status: 'succeeded', total: 3, done: 3, failed: 1 });
    expect(done.items.map((i) => i.result?.role ?? i.error?.code)).toEqual(['generated', 'empty_text', 'human']);
    expect(jobs.get(job.id)).toMatchObject({ done: 3, total: 3, result: { scored: 2, failed: 1 } });
  });

  it('counts every file chosen: one the browser could not read is a failed document of the batch', async () => {
    const { jobs, checks } = setup(store, pool, 2);
    jobs.start();
    const { check, job } = checks.startBatch({
      files: [
        { name: 'a.txt', text: LONG },
        { name: 'b.txt', text: ' ' },
        { name: 'c.docx', error: 'This file looks damaged.' },
      ],
    });
    expect(check).toMatchObject({ name: '3 files (a.txt, …)', total: 3, done: 1, failed: 1 });
    await jobs.whenIdle();
    expect(checks.get(check.id)).toMatchObject({ status: 'succeeded', total: 3, done: 3, failed: 2 });
    expect(checks.get(check.id).items.map((i) => i.result?.role ?? i.error?.userMessage)).toEqual([
      'generated',
      expect.any(String),
      'This file looks damaged.',
    ]);
    expect(jobs.get(job.id)).toMatchObject({ done: 3, total: 3, result: { scored: 1, failed: 2 } });
    expect(() => checks.startBatch({ files: [{ name: 'x.pdf', error: 'Unreadable.' }] })).toThrow(/None of these/);
  });

  it('reads files and folders by path, docx/pdf errors included', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'class'));
    fs.writeFileSync(path.join(dir, 'class', 'one.txt'), LONG);
    fs.writeFileSync(path.join(dir, 'class', 'two.md'), PLAIN);
    fs.writeFileSync(path.join(dir, 'class', 'broken.docx'), 'not a zip');
    fs.writeFileSync(path.join(dir, 'class', 'ignored.png'), 'x');
    const { jobs, checks } = setup(store, pool);
    jobs.start();
    const { check } = checks.startBatch({ paths: [path.join(dir, 'class')] });
    await jobs.whenIdle();
    const d = checks.get(check.id);
    expect(d.items.map((i) => path.basename(i.source))).toEqual(['broken.docx', 'one.txt', 'two.md']);
    expect(d.items[0]!.error).toMatchObject({ code: 'corrupt_file' });
    expect(checks.getItem(check.id, 1).text).toBe(LONG);
    expect(() => checks.startBatch({ paths: [path.join(dir, 'nope')] })).toThrow(/does not exist/);
  });

  it('resumes an interrupted batch from its checkpoint: nothing scored or stored twice', async () => {
    pool.delayMs = 30;
    const first = setup(store, pool);
    first.jobs.start();
    const files = Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.txt`, text: `${LONG} number ${i}` }));
    const { check, job } = first.checks.startBatch({ files });
    await until(() => first.checks.get(check.id).done >= 2);
    await first.jobs.stop(); // like a crash: the job row stays 'running'
    const partial = first.checks.get(check.id).done;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(12);

    const pool2 = new FakeDetectorPool();
    const second = setup(store, pool2);
    second.jobs.start();
    await second.jobs.whenIdle();
    const d = second.checks.get(check.id);
    expect(d).toMatchObject({ status: 'succeeded', done: 12, failed: 0 });
    // The second run scored exactly the items the first had not stored.
    expect(pool2.scored).toEqual(files.slice(partial).map((f) => f.text));
    expect(second.jobs.get(job.id).done).toBe(12);
    expect(d.items.every((i) => i.result !== null)).toBe(true);
  });

  it('cancels a running batch, keeping what was scored', async () => {
    pool.delayMs = 30;
    const { jobs, checks } = setup(store, pool);
    jobs.start();
    const { check, job } = checks.startBatch({
      files: Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.txt`, text: LONG + i })),
    });
    await until(() => checks.get(check.id).done >= 2);
    jobs.cancel(job.id);
    await jobs.whenIdle();
    const d = checks.get(check.id);
    expect(d.status).toBe('cancelled');
    expect(d.done).toBeGreaterThan(0);
    expect(d.done).toBeLessThan(20);
  });

  it('fails a batch with one clear message when the model is missing', async () => {
    pool.failWith = new DetectionError('model_missing', 'The detection model is not installed.');
    const { jobs, checks } = setup(store, pool);
    jobs.start();
    const { check, job } = checks.startBatch({ files: [{ name: 'a.txt', text: LONG }] });
    await jobs.whenIdle();
    expect(checks.get(check.id).status).toBe('failed');
    expect(jobs.get(job.id).error).toMatch(/not installed.*npm run train:detect/);
  });

  it('exports CSV with the caveat, quoting and a formula-injection guard', async () => {
    const { jobs, checks } = setup(store, pool);
    jobs.start();
    const { check } = checks.startBatch({
      files: [
        { name: 'essay, "final".txt', text: LONG },
        { name: '=HYPERLINK("x").txt', text: PLAIN },
        { name: 'empty.txt', text: '' },
      ],
    });
    await jobs.whenIdle();
    const csv = checks.exportCsv(check.id);
    expect(csv.startsWith('\uFEFFfile,words,verdict,ai_likelihood')).toBe(true);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^"essay, ""final"".txt",\d+,generated,/);
    expect(lines[1]).toContain('This is a statistical estimate, not proof.');
    expect(lines[2]).toMatch(/^"'=HYPERLINK\(""x""\).txt",/);
    expect(lines[3]).toMatch(/^empty.txt,,error,.*The text is empty.$/);
    expect(cell('-0.5')).toBe('-0.5');
    expect(cell('@x')).toBe("'@x");
  });

  it('creates, activates and reverts calibration profiles; checks use the active one', async () => {
    const { checks } = setup(store, pool);
    const a = await checks.createProfile({ name: 'Class 9B', human: [PLAIN, PLAIN], llm: [LONG] });
    expect(a).toMatchObject({
      name: 'Class 9B',
      active: false,
      profile: { report: { before: { fpr: 0.2 }, after: { fpr: 0.05 } } },
    });
    expect(pool.recalibrateCalls).toHaveLength(1);
    const b = await checks.createProfile({ name: 'Journal', human: [PLAIN], llm: [] });

    checks.activateProfile(a.id);
    expect(checks.status().activeProfile?.id).toBe(a.id);
    checks.activateProfile(b.id);
    expect(checks.profiles.get(b.id).previousId).toBe(a.id);

    const r = await checks.checkText({ text: LONG });
    expect(pool.detectCalls.at(-1)!.opts.profile).toMatchObject({ threshold: 0.8, name: 'Journal' });
    expect(r.profileName).toBe('Journal');

    expect(checks.revertProfile()?.id).toBe(a.id); // back to the previous profile
    expect(checks.revertProfile()).toBeNull(); // then to the default
    expect(checks.status().activeProfile).toBeNull();
    expect(() => checks.revertProfile()).toThrow(/default calibration is already in use/);

    checks.activateProfile(b.id);
    checks.useDefaultProfile();
    expect(checks.listProfiles().filter((p) => p.active)).toEqual([]);
    checks.deleteProfile(a.id);
    expect(checks.listProfiles().map((p) => p.id)).toEqual([b.id]);
    // The check keeps the name of the profile it used.
    expect(checks.get(r.id).profileName).toBe('Journal');
    await expect(checks.createProfile({ name: 'x', human: [], llm: [] })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('renders a report with the caveat and highlighted segments', async () => {
    const { checks } = setup(store, pool);
    const d = await checks.checkText({ text: `${PLAIN}\n${LONG}`, name: 'Essay <1>' });
    const html = checks.report(d.id);
    expect(html).toContain('Essay &lt;1&gt;');
    expect(html).toContain('This is a statistical estimate, not proof.');
    expect(html.match(/<mark class="seg/g)).toHaveLength(2);
    expect(html).toContain('<svg class="chart"');
    expect(html).not.toMatch(/<script|https?:\/\/|<link /); // self-contained
  });

  it('deletes a check and its items', async () => {
    const { checks } = setup(store, pool);
    const d = await checks.checkText({ text: LONG });
    checks.delete(d.id);
    expect(checks.list()).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) FROM check_items').pluck().get()).toBe(0);
  });

  it('extracts text from uploaded bytes and reports bad files by name', async () => {
    const { checks } = setup(store, pool);
    const out = await checks.extractFile({ name: 'essay.txt', bytes: new TextEncoder().encode('Hello there.\r\n') });
    expect(out).toEqual({ text: 'Hello there.\n', format: 'text' });
    await expect(checks.extractFile({ name: 'essay.docx', bytes: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({
      code: 'bad_request',
      userMessage: expect.stringMatching(/^essay.docx: /),
    });
  });

  describe('LM-assisted text checks (fake scorer)', () => {
    /** Every position: the actual token is likelier than the model's own expectation, so the shift is positive. */
    const scores = (n: number): TokenScores & { truncated: boolean } => ({
      logprobs: Array<number>(n).fill(-1),
      expectedLogprob: Array<number>(n).fill(-2),
      variance: Array<number>(n).fill(1),
      entropy: Array<number>(n).fill(2),
      truncated: false,
    });
    function fakeScorer(fail?: AppError): LmScorer & { scored: string[] } {
      const scored: string[] = [];
      return {
        scored,
        async installedModel(id) {
          if (id === 'stories260K') return { id, name: 'stories260K', parameters: 260_000 };
          if (id !== 'tiny') throw notFound('Local model', id);
          return { id, name: 'Tiny test model', parameters: 3e9 };
        },
        async scoreText(_id, text) {
          if (fail) throw fail;
          // The sanity gate's reference text is not a checked text.
          if (text !== REFERENCE_TEXT) scored.push(text);
          return scores(40);
        },
      };
    }
    const lmSetup = (scorer: LmScorer) =>
      new CheckService(store.db, new JobRunner(store.db), pool, { modelsDir: tempDir(), lm: () => scorer });

    it('folds the model in, stores the LM fields and the model, and leaves plain checks alone', async () => {
      const scorer = fakeScorer();
      const checks = lmSetup(scorer);
      const plain = (await checks.checkText({ text: PLAIN })).items[0]!.result!;
      expect(plain).not.toHaveProperty('lm_assisted');
      expect(scorer.scored).toEqual([]);

      const d = await checks.checkText({ text: PLAIN, lmModel: 'tiny' });
      const r = d.items[0]!.result!;
      expect(r).toMatchObject({ lm_assisted: true, lm_model: { id: 'tiny', name: 'Tiny test model' } });
      expect(r.lm_features).toMatchObject({ tokens: 40 });
      expect(r.lm_logit_shift).toBeGreaterThan(0);
      expect(r.ai_probability).toBeGreaterThan(plain.ai_probability);
      expect(r.lm_ms).toBeGreaterThanOrEqual(0);
      // The check history keeps it.
      expect(checks.getItem(d.id, 0).result).toEqual(r);
      expect(checks.report(d.id)).toContain('LM-assisted (experimental):</b> local model tiny');
    });

    it('does not score a text without a verdict, refuses unknown models first, passes model errors on', async () => {
      const scorer = fakeScorer();
      const checks = lmSetup(scorer);
      const short = await checks.checkText({ text: 'Too short.', lmModel: 'tiny' });
      const plainShort = (await checks.checkText({ text: 'Too short.' })).items[0]!.result!;
      expect(short.items[0]!.result).toEqual({
        ...plainShort,
        lm_assisted: false,
        lm_logit_shift: 0,
        lm_model: { id: 'tiny', name: 'Tiny test model' },
      });
      expect(scorer.scored).toEqual([]);

      const calls = pool.detectCalls.length;
      await expect(checks.checkText({ text: PLAIN, lmModel: 'absent' })).rejects.toMatchObject({ code: 'not_found' });
      expect(pool.detectCalls.length).toBe(calls); // refused before the detector ran

      const broken = lmSetup(fakeScorer(new AppError('bad_request', 'The model could not be loaded: tiny')));
      const before = broken.list().length;
      await expect(broken.checkText({ text: PLAIN, lmModel: 'tiny' })).rejects.toMatchObject({
        code: 'bad_request',
        userMessage: 'The model could not be loaded: tiny',
      });
      expect(broken.list()).toHaveLength(before); // nothing stored

      // The sanity gate: a 260K-parameter model may not move a verdict, and the reason says why.
      await expect(checks.checkText({ text: PLAIN, lmModel: 'stories260K' })).rejects.toMatchObject({
        code: 'bad_request',
        userMessage: 'Not usable for detection: this model has 260 K parameters; detection needs at least 1.0 B.',
      });
      expect(await checks.lmGate('tiny')).toMatchObject({ usable: true, parameters: 3e9 });

      const without = new CheckService(store.db, new JobRunner(store.db), pool, { modelsDir: tempDir() });
      await expect(without.checkText({ text: PLAIN, lmModel: 'tiny' })).rejects.toMatchObject({ code: 'unavailable' });
    });

    it('runs LM-assisted batches: each scored text gets the model, a refused model fails the job with the reason', async () => {
      const scorer = fakeScorer();
      const jobs = new JobRunner(store.db, { progressIntervalMs: 0 });
      const checks = new CheckService(store.db, jobs, pool, { modelsDir: tempDir(), lm: () => scorer });
      registerCheckJobs(jobs, checks, pool, { chunkItems: 2 });
      jobs.start();
      const files = [
        { name: 'a.txt', text: PLAIN },
        { name: 'b.txt', text: LONG },
      ];
      const { check, job } = checks.startBatch({ files, lmModel: 'tiny' });
      await until(() => jobs.get(job.id)?.status === 'succeeded');
      const items = checks.get(check.id).items;
      expect(items.map((i) => i.result?.lm_model?.id)).toEqual(['tiny', 'tiny']);
      expect(scorer.scored).toEqual([PLAIN, LONG]);

      const refused = checks.startBatch({ files, lmModel: 'stories260K' });
      await until(() => jobs.get(refused.job.id)?.status === 'failed');
      expect(jobs.get(refused.job.id)?.error).toContain('Not usable for detection');
      expect(checks.get(refused.check.id).items.every((i) => i.result === null)).toBe(true);
      await jobs.stop();
    });
  });
});
