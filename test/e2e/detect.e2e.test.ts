import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasShippedModel,
  MODEL_SKIP_REASON,
  SAMPLE_GENERATED,
  SAMPLE_HUMAN,
} from '../../src-main/checks/test-fixtures';
import { hasChromium, launchChromium } from '../helpers/browser';
import { SHOTS, startServer } from '../helpers/server';
import { repoRoot, tempDir } from '../helpers/temp-dir';
import { STORY } from '../helpers/story-text';

if (!hasShippedModel) console.warn(`detect E2E${MODEL_SKIP_REASON}`);

const MIXED = `${SAMPLE_HUMAN}\n\n${SAMPLE_GENERATED}`;
/** The LM-assisted test imports this llama2.c checkpoint, as the Models E2E test does. */
const shared = process.env.PALIMPSEST_SHARED ?? path.resolve(repoRoot, '../shared');
const stories260K = path.join(shared, 'models/stories260K/stories260K.bin');
const hasStories = fs.existsSync(stories260K) && fs.existsSync(path.join(path.dirname(stories260K), 'tok512.bin'));
if (!hasStories) console.warn(`detect E2E: LM-assisted test skipped: ${stories260K} not found (set PALIMPSEST_SHARED)`);

/**
 * The agreement rules, read from the DOM of the open document: the verdict agrees with the score's
 * place on the band scale, roles appear only under `llm`, passages are tinted only by their band,
 * nothing is tinted or marked under `human`, and an abstained result shows no numbers at all.
 */
async function expectAgreement(page: Page): Promise<string> {
  const doc = page.getByTestId('document-result');
  const card = doc.locator('.verdict-card');
  const verdict = (await card.getAttribute('data-verdict'))!;
  const roles = await doc.getByTestId('roles').count();
  const tints = await doc
    .locator('mark.seg')
    .evaluateAll((ms) => ms.map((m) => [m.getAttribute('data-verdict'), m.getAttribute('class')]));
  for (const [v, cls] of tints) expect(cls).toContain(v === 'human' ? 'tint-none' : `tint-${v}`);
  if (verdict === 'abstained') {
    expect((await doc.textContent())!).not.toMatch(/\d\s*%|\/ 100|score \d/i);
    expect(roles).toBe(0);
    expect(await doc.locator('.scale').count()).toBe(0);
    expect(tints).toEqual([]);
    return verdict;
  }
  const scale = card.locator('.scale');
  const [score, floor, flag] = await Promise.all(
    ['data-score', 'data-floor', 'data-flag'].map(async (a) => Number(await scale.getAttribute(a))),
  );
  expect(verdict).toBe(score! >= flag! ? 'llm' : score! >= floor! ? 'inconclusive' : 'human');
  expect(await card.getByTestId('verdict').textContent()).toContain(
    { human: 'No sign of LLM involvement', inconclusive: 'Inconclusive', llm: 'LLM involvement likely' }[verdict],
  );
  expect(await card.getByTestId('judged-at').textContent()).toMatch(/operating point/);
  expect(roles).toBe(verdict === 'llm' ? 1 : 0);
  if (roles) expect(await doc.getByTestId('roles').textContent()).toContain('If an LLM was involved, most likely it');
  if (verdict === 'human') {
    expect(tints.every(([v]) => v === 'human')).toBe(true);
    expect(await doc.getByTestId('boundary').count()).toBe(0);
  }
  // No bare "AI-likelihood" anywhere in the card.
  expect(await card.textContent()).not.toMatch(/AI-likelihood/);
  return verdict;
}

/** Checks one pasted text and returns the verdict the card shows (agreement rules asserted). */
async function checkPasted(page: Page, text: string): Promise<string> {
  const before = await page.getByRole('navigation', { name: 'Recent checks' }).locator('li').count();
  await page.getByLabel('Text to check').fill(text);
  await page.getByRole('button', { name: 'Check text' }).click();
  await expect
    .poll(() => page.getByRole('navigation', { name: 'Recent checks' }).locator('li').count(), { timeout: 30_000 })
    .toBe(before + 1);
  await page.getByTestId('document-result').getByTestId('caveat').waitFor({ timeout: 30_000 });
  return expectAgreement(page);
}

/** The Detect view scrolls inside its own pane, so a full-page shot needs a tall window. */
async function shot(page: Page, name: string, height = 1800): Promise<void> {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width, height });
  await page.screenshot({ path: path.join(SHOTS, name) });
  await page.setViewportSize(size);
}

describe.skipIf(!hasChromium || !hasShippedModel)(
  `E2E: the Detect view in browser mode (Debian Chromium)${MODEL_SKIP_REASON}`,
  () => {
    let browser: Browser;
    let server: { url: string; proc: ChildProcess };
    let page: Page;
    const errors: string[] = [];
    const dataDir = tempDir();

    beforeAll(async () => {
      fs.mkdirSync(SHOTS, { recursive: true });
      // Slows each batch step (one worker call of up to 8 files) so progress and Cancel can be seen.
      server = await startServer(dataDir, { PALIMPSEST_JOB_STEP_DELAY_MS: '600' });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
    });
    afterAll(async () => {
      await browser?.close();
      server?.proc.kill('SIGTERM');
    });

    it('checks pasted text: verdict with caveat, role probabilities, chart and highlighted passages', async () => {
      await page.keyboard.press('Control+2');
      await page.getByRole('heading', { name: 'Detect', exact: true }).waitFor();
      await page.getByText('or a whole folder of essays here').waitFor();
      // No local model yet: the LM-assisted control says so instead of offering one.
      await page.getByText('Needs a local model: none is installed.').waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'detect-empty.png') });

      await page.getByLabel('Text to check').fill(MIXED);
      await page.getByLabel('Text to check').press('Control+Enter');
      const result = page.getByTestId('document-result');
      await result.waitFor({ timeout: 30_000 });
      await expect.poll(() => result.getByTestId('caveat').textContent()).toMatch(/Caveat:.*(estimate|judge|English)/);
      const verdict = await expectAgreement(page);
      expect(await result.getByLabel(/^Role probabilities:/).count()).toBe(verdict === 'llm' ? 1 : 0);
      expect(await result.locator('mark.seg').count()).toBeGreaterThanOrEqual(2);
      // Highlighting adds nothing to the text and drops nothing from it.
      expect(await result.locator('.segment-text .text').textContent()).toBe(MIXED);
      if (verdict !== 'human')
        await result.locator('svg[aria-label="Involvement and score along the document"]').waitFor();
      // Hovering a passage shows its band and score.
      await result.locator('mark.seg').last().hover();
      await expect
        .poll(() => page.getByRole('tooltip').textContent())
        .toMatch(/(No sign of LLM involvement|Inconclusive|LLM involvement likely).*Score \d+ \/ 100/s);
      await shot(page, 'detect-text.png');
      // The check is listed in the history.
      await page.getByRole('navigation', { name: 'Recent checks' }).getByText('honestly i dont think school').waitFor();
    });

    it('checks three files as a batch: progress, table, histogram, CSV and report', async () => {
      await page.getByTestId('detect-files').setInputFiles([
        { name: 'alice.txt', mimeType: 'text/plain', buffer: Buffer.from(SAMPLE_HUMAN) },
        { name: 'bob.md', mimeType: 'text/markdown', buffer: Buffer.from(SAMPLE_GENERATED) },
        {
          name: 'carol.txt',
          mimeType: 'text/plain',
          buffer: Buffer.from('A short note: back at five, the key is under the mat.'),
        },
      ]);
      const table = page.getByRole('table', { name: 'Documents in this check' });
      await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(3);
      await expect
        .poll(() => page.getByTestId('batch-summary').textContent(), { timeout: 30_000 })
        .toMatch(/3 checked/);
      await page.locator('figure.histogram svg').waitFor();
      expect(await table.getByText('Too short to judge').count()).toBe(1);
      // Sort by document name, then open bob.md.
      await table.getByRole('button', { name: 'Document' }).click();
      await expect.poll(() => table.locator('th[aria-sort="ascending"]').textContent()).toContain('Document');
      await expect.poll(() => table.locator('tbody tr').first().textContent()).toContain('alice.txt');
      await table.getByRole('button', { name: 'bob.md' }).click();
      await page.getByTestId('document-result').getByTestId('caveat').waitFor();
      await shot(page, 'detect-batch.png', 2200);

      const [csvDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      const csv = fs.readFileSync((await csvDownload.path())!, 'utf8');
      expect(csv.startsWith('\uFEFFfile,words,verdict,ai_likelihood')).toBe(true);
      expect(csv.trim().split('\r\n')).toHaveLength(4);
      expect(csv).toMatch(/carol\.txt,\d+,abstained,/);

      const [reportDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Report', exact: true }).click(),
      ]);
      const html = fs.readFileSync((await reportDownload.path())!, 'utf8');
      expect(html).toContain('Caveat:');
      expect(html).toContain('<mark class="seg');
      expect(html).not.toMatch(/<script|<link /);
      // The report prints to PDF (what "Save as PDF" in the print dialog produces).
      const reportPage = await browser.newPage({ viewport: { width: 900, height: 1200 } });
      await reportPage.setContent(html);
      await reportPage.screenshot({ path: path.join(SHOTS, 'detect-report.png'), fullPage: true });
      await reportPage.emulateMedia({ media: 'print' });
      await reportPage.screenshot({ path: path.join(SHOTS, 'detect-report-print.png'), fullPage: true });
      const pdf = await reportPage.pdf({ format: 'A4', printBackground: true });
      fs.mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
      fs.writeFileSync(path.join(repoRoot, 'test-results', 'detect-report.pdf'), pdf);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      await reportPage.close();
    });

    it('checks a whole folder with progress, and cancels it', async () => {
      const dir = path.join(tempDir(), 'essays');
      fs.mkdirSync(path.join(dir, 'late'), { recursive: true });
      for (let i = 0; i < 20; i++) {
        const sub = i >= 16 ? 'late' : '';
        fs.writeFileSync(
          path.join(dir, sub, `student-${String(i).padStart(2, '0')}.txt`),
          `${i % 2 ? SAMPLE_GENERATED : SAMPLE_HUMAN}\n\nDraft ${i}.`,
        );
      }
      fs.writeFileSync(path.join(dir, 'photo.png'), 'not text');
      await page.getByTestId('detect-folder').setInputFiles(dir);
      const progress = page.getByRole('status').filter({ hasText: 'Checking' });
      await progress.waitFor({ timeout: 30_000 });
      await page.getByRole('heading', { name: 'essays', exact: true }).waitFor();
      await expect
        .poll(
          () => page.getByRole('table', { name: 'Documents in this check' }).locator('tbody tr[data-verdict]').count(),
          {
            timeout: 30_000,
          },
        )
        .toBeGreaterThan(0);
      await shot(page, 'detect-progress.png', 1400);
      await progress.getByRole('button', { name: 'Stop' }).click();
      await expect
        .poll(() => page.getByText(/This check was stopped; \d+ of 20 files were checked\./).count(), {
          timeout: 30_000,
        })
        .toBe(1);
      // The folder's files were read in the browser, the image skipped, the subfolder included.
      const rows = await page
        .getByRole('table', { name: 'Documents in this check' })
        .locator('tbody tr')
        .allTextContents();
      expect(rows).toHaveLength(20);
      expect(rows.join('\n')).toContain('essays/late/student-19.txt');
      expect(rows.join('\n')).not.toContain('photo.png');
    });

    it('checks one dropped file and shows its verdict directly', async () => {
      // A drop with a file, as the OS delivers it (a string script: this file compiles without DOM types).
      await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([${JSON.stringify(SAMPLE_GENERATED)}], 'dropped-essay.txt', { type: 'text/plain' }));
      const view = document.querySelector('.detect-view');
      for (const type of ['dragenter', 'dragover', 'drop']) view.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
      await page.getByRole('heading', { name: 'dropped-essay.txt' }).first().waitFor({ timeout: 30_000 });
      await page.getByTestId('document-result').getByTestId('caveat').waitFor({ timeout: 30_000 });
      expect(await page.locator('.drop').count()).toBe(0); // the drop overlay is gone
    });

    it('reads a PDF through the app (text extracted on the server side)', async () => {
      const maker = await browser.newPage();
      await maker.setContent(
        `<p style="font:14px serif">${SAMPLE_GENERATED.replace(/\n\n/g, '</p><p style="font:14px serif">')}</p>`,
      );
      const pdf = await maker.pdf({ format: 'A4' });
      await maker.close();
      await page
        .getByTestId('detect-files')
        .setInputFiles([{ name: 'scanned-essay.pdf', mimeType: 'application/pdf', buffer: pdf }]);
      await page.getByRole('heading', { name: 'scanned-essay.pdf' }).first().waitFor({ timeout: 30_000 });
      const result = page.getByTestId('document-result');
      await result.getByTestId('caveat').waitFor({ timeout: 30_000 });
      expect(await result.locator('.segment-text .text').textContent()).toContain(
        'rapidly evolving educational landscape',
      );
    });

    it('fits, activates and reverts a calibration profile', async () => {
      await page.getByRole('button', { name: 'Calibration…' }).click();
      const panel = page.getByRole('region', { name: 'Calibration' });
      await panel.getByLabel('Name').fill('Class 9B');
      await panel
        .getByLabel('Known human texts')
        .fill([SAMPLE_HUMAN, SAMPLE_HUMAN.replace('school', 'class')].join('\n---\n'));
      await panel.getByLabel('Known LLM texts').fill(SAMPLE_GENERATED);
      await panel.getByRole('button', { name: 'Fit profile' }).click();
      const profile = panel.getByTestId('profile').filter({ hasText: 'Class 9B' });
      await profile.getByText('False positives (human texts flagged)').waitFor({ timeout: 30_000 });
      await profile.getByRole('button', { name: 'Activate' }).click();
      await profile.getByText('in use').waitFor();
      await page.getByText('Calibration: “Class 9B”').waitFor();
      await shot(page, 'detect-calibration.png', 1200);
      await panel.getByRole('button', { name: 'Revert' }).click();
      await page.getByText('Calibration: default').waitFor();
    });

    it.skipIf(!hasStories)("refuses stories260K for LM-assisted checks with the gate's reason", async () => {
      await page.getByRole('button', { name: 'Open Models' }).click();
      await page.getByRole('heading', { name: 'Models', exact: true }).waitFor();
      await page.getByLabel('Model file path').fill(stories260K);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.locator('[data-model-id="stories260K"]').waitFor({ timeout: 30_000 });

      await page.keyboard.press('Control+2');
      const select = page.getByLabel('LM-assisted experimental');
      await expect.poll(() => select.locator('option').allTextContents()).toEqual(['Off', 'stories260K']);
      expect(await select.inputValue()).toBe(''); // off by default
      await select.selectOption('stories260K');
      // The sanity gate's verdict comes before any use: refused, with the reason, and shown disabled.
      const gate = page.getByTestId('lm-gate');
      await expect
        .poll(() => gate.textContent(), { timeout: 30_000 })
        .toMatch(/^Not usable for detection: this model has \d+ K parameters; detection needs at least 1\.0 B\./);
      await expect.poll(() => select.locator('option[value="stories260K"]').isDisabled()).toBe(true);
      await page.reload(); // the choice and its refusal are remembered / re-checked
      await expect
        .poll(() => page.getByTestId('lm-gate').textContent(), { timeout: 30_000 })
        .toMatch(/\d+ K parameters/);

      // A check now runs on the detector alone: the refused model never moves a verdict.
      await checkPasted(page, STORY);
      expect(await page.getByTestId('document-result').getByTestId('lm-assist').count()).toBe(0);
      await shot(page, 'detect-lm-refused.png', 1300);
      await page.getByLabel('LM-assisted experimental').selectOption('');
    });

    it('walkthrough fixes: counts, narrow layout, kept result, long paste, errors', async () => {
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.keyboard.press('Control+2');
      await page.getByRole('heading', { name: 'Detect', exact: true }).waitFor();
      // Three files chosen, one empty (unreadable in the browser): the batch counts all three.
      await page.getByTestId('detect-files').setInputFiles([
        { name: 'ann.txt', mimeType: 'text/plain', buffer: Buffer.from(SAMPLE_HUMAN) },
        { name: 'ben.txt', mimeType: 'text/plain', buffer: Buffer.from(SAMPLE_GENERATED) },
        { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.from('') },
      ]);
      const heading = page.getByRole('heading', { name: '3 files (ann.txt, …)', exact: true });
      await heading.waitFor({ timeout: 30_000 });
      const summary = page.getByTestId('batch-summary');
      await expect
        .poll(() => summary.textContent(), { timeout: 30_000 })
        .toMatch(/^\s*2 checked at the strict operating point:.*1 could not be read\./s);
      expect(await page.getByText(/not checked/).count()).toBe(0);
      const table = page.getByRole('table', { name: 'Documents in this check' });
      expect(await table.locator('tbody tr').count()).toBe(3);
      await table.getByText('The file is empty.').waitFor();
      await shot(page, 'detect-walkthrough-1400.png', 1400);

      // 1,000 px with the calibration panel open: the table fits (no sideways scroll), and Recent
      // checks open from a header button.
      await page.setViewportSize({ width: 1000, height: 900 });
      const calibration = page.getByRole('button', { name: 'Calibration…' });
      if ((await calibration.getAttribute('aria-expanded')) !== 'true') await calibration.click();
      const wrap = page.locator('.table-wrap');
      await expect.poll(() => wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      const history = page.getByRole('navigation', { name: 'Recent checks' });
      expect(await history.isVisible()).toBe(false);
      await shot(page, 'detect-walkthrough-1000.png', 1400);
      await page.getByRole('button', { name: 'Recent checks' }).click();
      await history.waitFor({ state: 'visible' });
      // Checks with the same name are told apart by their seconds and a short id.
      const metas = await history.locator('.meta').allTextContents();
      expect(metas.every((m) => /#\w{4}/.test(m))).toBe(true);
      expect(new Set(metas).size).toBe(metas.length);
      await shot(page, 'detect-walkthrough-1000-history.png', 1000);
      await history.getByRole('button', { name: /^3 files \(ann\.txt/ }).click();
      await history.waitFor({ state: 'hidden' });

      // Switching views and back keeps the open result.
      await page.keyboard.press('Control+1');
      await expect.poll(() => heading.count()).toBe(0);
      await page.keyboard.press('Control+2');
      await heading.waitFor();
      expect(await table.locator('tbody tr').count()).toBe(3);

      // A text over the limit: Check is disabled, with the reason.
      const input = page.getByLabel('Text to check');
      await input.evaluate((el, n) => {
        const t = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
        t.value = 'word '.repeat(n);
        t.dispatchEvent(
          new (globalThis as unknown as { Event: new (type: string, o: object) => unknown }).Event('input', {
            bubbles: true,
          }),
        );
      }, 1_000_000);
      await page.getByText(/too long to check: 5,000,000 characters/).waitFor();
      expect(await page.getByRole('button', { name: 'Check text' }).isDisabled()).toBe(true);
      await input.fill('');

      // An error replaces the open result instead of showing above a stale one.
      await page
        .getByTestId('detect-files')
        .setInputFiles([{ name: 'blank.txt', mimeType: 'text/plain', buffer: Buffer.from('') }]);
      await page.getByRole('alert').filter({ hasText: 'blank.txt: The file is empty.' }).waitFor();
      expect(await page.getByRole('region', { name: 'Check result' }).count()).toBe(0);
      await page.setViewportSize({ width: 1360, height: 900 });
    });

    it('verdicts that agree with their numbers: human, LLM, mixed, abstained and a batch at 1,400 and 1,000 px', async () => {
      const dir = path.join(SHOTS, 'detect-verdicts');
      fs.mkdirSync(dir, { recursive: true });
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.keyboard.press('Control+2');
      const calibration = page.getByRole('button', { name: 'Calibration…' });
      if ((await calibration.getAttribute('aria-expanded')) === 'true') await calibration.click();
      // The operating point is picked where checks start, with its out-of-source rates beside it.
      const point = page.getByTestId('operating-point');
      await expect.poll(() => point.getByTestId('rates-strict').textContent()).toMatch(/flags .* of human texts/);
      expect(await point.getByTestId('rates-standard').textContent()).toMatch(/catches [\d.]+% of LLM-involved texts/);
      expect(await point.textContent()).toMatch(/needs 20 known-human and 20 known-LLM texts/);
      expect(await point.getByLabel(/Strict/).isChecked()).toBe(true);

      const short = 'A short note: back at five, the key is under the mat.';
      const cases: Array<[string, string]> = [
        ['human', SAMPLE_HUMAN],
        ['llm', SAMPLE_GENERATED],
        ['mixed', MIXED],
        ['abstained', short],
      ];
      const seen: Record<string, string> = {};
      for (const [name, text] of cases) {
        await page.setViewportSize({ width: 1400, height: 900 });
        seen[name] = await checkPasted(page, text);
        await shot(page, path.join('detect-verdicts', `${name}-1400.png`));
        await page.setViewportSize({ width: 1000, height: 900 });
        await expectAgreement(page);
        await shot(page, path.join('detect-verdicts', `${name}-1000.png`));
      }
      console.info(`detect E2E verdicts: ${JSON.stringify(seen)}`);
      expect(seen.abstained).toBe('abstained');
      expect(seen.human).toBe('human');

      // The standard point is used by the next check and named on its card.
      await page.setViewportSize({ width: 1400, height: 900 });
      await point.getByLabel(/Standard/).check();
      await checkPasted(page, SAMPLE_GENERATED);
      expect(await page.getByTestId('judged-at').textContent()).toContain('standard operating point');
      await point.getByLabel(/Strict/).check();

      // A batch: every row agrees with its verdict; the abstained row shows no numbers.
      await page.getByTestId('detect-files').setInputFiles([
        { name: 'human.txt', mimeType: 'text/plain', buffer: Buffer.from(SAMPLE_HUMAN) },
        { name: 'llm.txt', mimeType: 'text/plain', buffer: Buffer.from(SAMPLE_GENERATED) },
        { name: 'mixed.txt', mimeType: 'text/plain', buffer: Buffer.from(MIXED) },
        { name: 'short.txt', mimeType: 'text/plain', buffer: Buffer.from(short) },
      ]);
      const table = page.getByRole('table', { name: 'Documents in this check' });
      await expect.poll(() => table.locator('tbody tr[data-verdict]').count(), { timeout: 60_000 }).toBe(4);
      const abstainedRow = table.locator('tbody tr[data-verdict="abstained"]');
      expect(await abstainedRow.count()).toBe(1);
      expect(await abstainedRow.textContent()).not.toMatch(/%|\d+\s*$/);
      expect(await table.locator('tbody tr[data-verdict="human"] .role').count()).toBe(0);
      expect(await page.getByTestId('batch-summary').textContent()).toMatch(/4 checked at the strict operating point/);
      await table.getByRole('button', { name: 'mixed.txt' }).click();
      await page.getByTestId('document-result').getByTestId('caveat').waitFor();
      await expectAgreement(page);
      await shot(page, path.join('detect-verdicts', 'batch-1400.png'), 2200);
      await page.setViewportSize({ width: 1000, height: 900 });
      const wrap = page.locator('.table-wrap');
      await expect.poll(() => wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      await shot(page, path.join('detect-verdicts', 'batch-1000.png'), 2200);
      await page.setViewportSize({ width: 1360, height: 900 });
    });

    it('follows a dark OS theme', async () => {
      const ctx = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1360, height: 900 } });
      const dark = await ctx.newPage();
      await dark.goto(server.url);
      await dark.keyboard.press('Control+2');
      await dark
        .getByRole('navigation', { name: 'Recent checks' })
        .getByText('honestly i dont think school')
        .first()
        .click();
      await dark.getByTestId('document-result').waitFor();
      await shot(dark, 'detect-dark.png');
      await ctx.close();
      expect(errors).toEqual([]);
    });
  },
);
