import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edit } from '../../src-main/authoring/common/contract';
import { hasShippedModel, SAMPLE_GENERATED, SAMPLE_HUMAN } from '../../src-main/checks/test-fixtures';
import { hasChromium, launchChromium } from '../helpers/browser';
import { SHOTS, startServer } from '../helpers/server';
import { tempDir } from '../helpers/temp-dir';

const MODEL = 'Storyteller';
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

/**
 * A co-written essay as edits: the writer types SAMPLE_HUMAN in bursts, a model author continues
 * with SAMPLE_GENERATED, the writer edits one word inside the model's text and pastes a quote.
 */
function seedEdits(): { edits: Edit[]; text: string } {
  const edits: Edit[] = [];
  let text = '';
  let at = T0;
  const push = (e: Omit<Edit, 'at'>, gap: number) => {
    at += gap;
    edits.push({ ...e, at });
    text = text.slice(0, e.from) + e.insert + text.slice(e.to);
  };
  for (let i = 0; i < SAMPLE_HUMAN.length; i += 24)
    push(
      {
        author: 'human:me',
        kind: 'human',
        operation: 'type',
        from: text.length,
        to: text.length,
        insert: SAMPLE_HUMAN.slice(i, i + 24),
      },
      900,
    );
  push(
    { author: 'human:me', kind: 'human', operation: 'type', from: text.length, to: text.length, insert: '\n\n' },
    400,
  );
  push(
    {
      author: MODEL,
      kind: 'model',
      operation: 'continue',
      from: text.length,
      to: text.length,
      insert: SAMPLE_GENERATED,
    },
    5_000,
  );
  const word = text.indexOf('significant');
  push(
    {
      author: 'human:me',
      kind: 'human',
      operation: 'type',
      from: word,
      to: word + 'significant'.length,
      insert: 'a lot of',
    },
    3_000,
  );
  const quote = '\n\n"Sleep is the best meditation." (Dalai Lama)';
  push(
    { author: 'human:me', kind: 'human', operation: 'paste', from: text.length, to: text.length, insert: quote },
    2_000,
  );
  return { edits, text };
}

async function saved(download: Download): Promise<Buffer> {
  const file = await download.path();
  return fs.readFileSync(file);
}

/** The Write view's side pane scrolls on its own, so a full shot needs a tall window. */
async function shot(page: Page, name: string, height = 1700): Promise<void> {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width, height });
  await page.screenshot({ path: path.join(SHOTS, name) });
  await page.setViewportSize(size);
}

describe.skipIf(!hasChromium)('E2E: provenance panel and timeline replay (Debian Chromium)', () => {
  let browser: Browser;
  let server: { url: string; proc: ChildProcess };
  const dataDir = tempDir();
  let documentId = '';
  let seeded = { edits: [] as Edit[], text: '' };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // Seed through the same API procedures the UI calls, on the data dir the server then opens.
    const [{ createApp }, { createLocalCaller }] = await Promise.all([
      import('../../src-main/app'),
      import('../../src-main/api/router'),
    ]);
    const app = createApp({ dataDir, startJobs: false });
    try {
      const api = createLocalCaller({ app, transport: 'local' });
      documentId = (await api.documents.create({ title: 'Should school start later?' })).id;
      seeded = seedEdits();
      await api.authoring.applyEdits({ documentId, edits: seeded.edits });
    } finally {
      await app.dispose();
    }
    server = await startServer(dataDir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
  });

  it('shows shares and ground truth, compares with the detector, verifies, exports and replays the writing', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.locator(`[data-doc-id="${documentId}"]`).click();

    const panel = page.getByRole('region', { name: 'Provenance' });
    await page.getByRole('button', { name: 'Provenance', exact: true }).click();
    await panel.waitFor();

    // Shares: the model wrote SAMPLE_GENERATED less one word, the writer the rest.
    const modelShare = panel.locator('[data-author-share]').filter({ hasText: MODEL });
    await modelShare.waitFor();
    const expectedModel = (SAMPLE_GENERATED.length - 'significant'.length) / seeded.text.length;
    expect(await modelShare.locator('b').textContent()).toBe(`${Math.round(expectedModel * 100)}%`);
    await panel.locator('[data-author-share="human:me"]').waitFor();
    for (const op of ['type', 'continue', 'paste', 'edited-after-llm'])
      await panel.locator(`[data-operation-share="${op}"]`).waitFor();
    // A human start continued by a model: the ground truth is "extended".
    await panel.locator('.truth[data-role="extended"]').waitFor();
    await panel.getByRole('img', { name: 'Characters per author over time' }).waitFor();
    await shot(page, 'provenance-panel.png');

    // The detector beside the ground truth, passage by passage (needs the shipped detection model).
    if (hasShippedModel) {
      await panel.getByRole('button', { name: 'Check with the detector' }).click();
      await panel.locator('[data-detector-role], [data-detector-abstained]').first().waitFor({ timeout: 60_000 });
      const rows = panel.getByRole('list', { name: 'Passages: ground truth beside the detector' }).locator('li');
      expect(await rows.count()).toBeGreaterThanOrEqual(2);
      await shot(page, 'provenance-detector.png', 2200);
    }

    const total = seeded.edits.length;
    // Verify, then the report (HTML and PDF) and the bundle as downloads.
    await panel.getByRole('button', { name: 'Verify' }).click();
    await panel.locator('[data-verify="ok"]').waitFor();
    const [html] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Report (HTML)' }).click(),
    ]);
    expect(html.suggestedFilename()).toMatch(/\.html$/);
    const htmlText = (await saved(html)).toString('utf8');
    expect(htmlText).toContain('<html');
    expect(htmlText).toContain(MODEL);
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Report (PDF)' }).click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    expect((await saved(pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const [bundleDownload] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Bundle (JSON)' }).click(),
    ]);
    expect(bundleDownload.suggestedFilename()).toMatch(/\.provenance\.json$/);
    const bundle = JSON.parse((await saved(bundleDownload)).toString('utf8')) as {
      format: string;
      text: string;
      events: unknown[];
    };
    expect(bundle.format).toBe('palimpsest-provenance');
    expect(bundle.text).toBe(seeded.text);
    expect(bundle.events).toHaveLength(total);
    await shot(page, 'provenance-verified.png');

    // Replay: scrub to the start, play at 10× (caught mid-way), then 100× to the end; the text grows back exactly.
    const replay = page.getByRole('region', { name: 'Timeline replay' });
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await replay.waitFor();
    await replay.locator(`[data-replay-step="${total}"]`).waitFor();
    const scrubber = replay.getByLabel('Replay position');
    await scrubber.fill('0');
    await replay.locator('[data-replay-step="0"]').waitFor();
    await replay.getByRole('radio', { name: '10×' }).click();
    await replay.getByRole('button', { name: 'Play replay' }).click();
    await replay.getByRole('button', { name: 'Pause replay' }).waitFor();
    // The seeded pauses add up to about 50 s (each cut to 2 s): 10× takes about 5 s.
    await page.waitForTimeout(1_500);
    await shot(page, 'provenance-replay-playing.png');
    const midStep = Number(await replay.locator('[data-replay-step]').getAttribute('data-replay-step'));
    expect(midStep).toBeGreaterThan(0);
    expect(midStep).toBeLessThan(total);
    await replay.getByRole('radio', { name: '100×' }).click();
    await replay.locator(`[data-replay-step="${total}"]`).waitFor({ timeout: 30_000 });
    const text = replay.getByLabel('Text at this moment of the replay');
    expect(await text.textContent()).toBe(seeded.text);
    expect(await text.locator(`[title="${MODEL}"]`).count()).toBeGreaterThanOrEqual(1);
    // Scrubbing halfway through the human typing shows only the writer's text.
    await scrubber.fill('10');
    expect(await text.textContent()).toBe(SAMPLE_HUMAN.slice(0, 240));
    await shot(page, 'provenance-replay-scrubbed.png');

    expect(errors).toEqual([]);
  });

  it('says "Tampered" and names the event when a stored event was changed', async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dataDir, 'palimpsest.db'));
    // Change what one stored event inserted, as someone editing the database would.
    const changed = db
      .prepare(`UPDATE contribution_events SET inserted = 'X' || inserted WHERE document_id = ? AND seq = 3`)
      .run(documentId).changes;
    db.close();
    expect(changed).toBe(1);
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(server.url);
    await page.locator(`[data-doc-id="${documentId}"]`).click();
    const panel = page.getByRole('region', { name: 'Provenance' });
    await page.getByRole('button', { name: 'Provenance', exact: true }).click();
    await panel.getByRole('button', { name: 'Verify' }).click();
    const alert = panel.locator('[data-verify="tampered"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/event 3\b/);
    await page.screenshot({ path: path.join(SHOTS, 'provenance-tampered.png') });
  });
});
