import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../src-main/api';
import {
  startFakeOpenAiServer,
  writeJson,
  writeSseStream,
  type FakeOpenAiServer,
} from '../../src-main/llm/openai/fake-openai-server';
import { hasChromium, launchChromium } from '../helpers/browser';
import { SHOTS, startServer } from '../helpers/server';
import { tempDir } from '../helpers/temp-dir';

/** Three small sources on distinct subjects, so a query has one right document and some near misses. */
const BEES_MD = `# Honey bees

## Foraging

Forager bees tell their sisters where flowers are with the waggle dance: the angle of the run
gives the direction from the sun, and its length the distance to the food.

## The hive

Worker bees build wax comb in hexagonal cells, store honey and pollen, and raise the brood.
The queen lays up to two thousand eggs a day in spring.

## Winter

In winter the colony forms a tight cluster and shivers its flight muscles to keep the queen warm.
`;

const LIGHTHOUSE_HTML = `<!doctype html><html><head><title>Lighthouses</title></head><body>
<h1>Lighthouses</h1>
<h2>The Fresnel lens</h2>
<p>Augustin Fresnel's lens of concentric prisms bent the lamp's light into a beam seen thirty miles at sea.</p>
<h2>Keepers</h2>
<p>Keepers trimmed the wicks every night and wound the clockwork that turned the lens, so that each
light flashed its own pattern and sailors could tell one coast from another, as bees tell flowers apart.</p>
</body></html>`;

const TARIFF_TXT = `The Tariff of 1828 raised duties on imported manufactured goods to protect northern industry.

Southern planters, who sold cotton abroad and bought manufactured goods, called it the Tariff of Abominations.

Customs revenue paid most of the federal budget until the income tax, so tariff debates were debates about the
whole of public finance.`;

/** What the intent author (a fake OpenAI-compatible model) answers. */
const INTENT_REPLY =
  'Summary: The writer wants to know how forager bees find flowers and tell the hive.\nTerms: waggle, flowers, unicorn';

/** The view scrolls inside its panes: a shot at a given width, tall enough to show the results. */
async function shot(page: Page, name: string, width: number, height = 1000): Promise<void> {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SHOTS, name) });
  await page.setViewportSize(size);
}

describe.skipIf(!hasChromium)('E2E: the Library view in browser mode (Debian Chromium)', () => {
  let browser: Browser;
  let server: { url: string; proc: ChildProcess };
  let page: Page;
  let fake: FakeOpenAiServer;
  const errors: string[] = [];
  const dataDir = tempDir();

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    fake = await startFakeOpenAiServer();
    fake.handle(async (req, res) => {
      if (req.method === 'GET' && req.path.endsWith('/models'))
        return writeJson(res, 200, { object: 'list', data: [{ id: 'iris-7b', object: 'model' }] });
      await writeSseStream(res, INTENT_REPLY.split(/(?<= )/), { kind: 'chat' });
    });
    server = await startServer(dataDir, { OLLAMA_HOST: 'http://127.0.0.1:9' });
    // A model author on the fake endpoint, set up through the API (the Models view has its own E2E test).
    const url = new URL(server.url);
    const api = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${url.origin}/trpc`,
          headers: { authorization: `Bearer ${url.searchParams.get('token')}` },
        }),
      ],
    });
    const endpoint = await api.llm.addEndpoint.mutate({ name: 'Lab', baseUrl: fake.baseUrl });
    await api.llm.createAuthor.mutate({ name: 'Iris', provider: `endpoint:${endpoint.id}`, model: 'iris-7b' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
    await fake?.close();
  });

  it('adds a TXT, an HTML and an MD file and lists them with their figures', async () => {
    await page.keyboard.press('Control+4');
    await page.getByRole('heading', { name: 'Library', exact: true }).waitFor();
    await page.getByText('No documents yet.').waitFor();
    await page.getByLabel('Tags for new documents').fill('reading, week 1');
    await page.getByTestId('library-files').setInputFiles([
      { name: 'tariffs.txt', mimeType: 'text/plain', buffer: Buffer.from(TARIFF_TXT) },
      { name: 'lighthouses.html', mimeType: 'text/html', buffer: Buffer.from(LIGHTHOUSE_HTML) },
      { name: 'bees.md', mimeType: 'text/markdown', buffer: Buffer.from(BEES_MD) },
      // Refused in the browser, with its reason, without stopping the others.
      { name: 'archive.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004') },
    ]);
    const docs = page.getByTestId('library-document');
    await expect.poll(() => docs.count(), { timeout: 60_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('library-add-errors').textContent()).toMatch(/archive\.zip.*Not a PDF/);
    const bees = docs.filter({ hasText: 'bees.md' });
    await expect.poll(() => bees.textContent()).toMatch(/Markdown.*\d+ passages?.*reading.*week 1/s);
    await page.getByRole('button', { name: 'Clear these errors' }).click();
    expect(await page.getByTestId('library-add-errors').count()).toBe(0);
  });

  it('searches, pins one result, excludes another and shows the pinned panel', async () => {
    const query = page.getByLabel('Search the library');
    await query.fill('waggle dance of forager bees');
    await query.press('Enter');
    const hits = page.getByTestId('library-hit');
    await expect.poll(() => hits.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    // The right passage first, its query terms marked.
    await expect.poll(() => hits.first().textContent()).toContain('waggle dance');
    expect(await hits.first().locator('mark').allTextContents()).toEqual(
      expect.arrayContaining(['waggle', 'dance', 'Forager', 'bees']),
    );
    expect(await page.getByTestId('library-result-summary').textContent()).toMatch(/hybrid/);
    await shot(page, 'library-results-1400.png', 1400);

    // Keyboard: ↓ from the query focuses the first result; P pins it, 4 rates it.
    await query.press('ArrowDown');
    await page.keyboard.press('p');
    await expect.poll(() => hits.first().getAttribute('aria-label')).toMatch(/pinned/);
    await page.keyboard.press('4');
    await expect
      .poll(() => hits.first().getByRole('button', { name: 'Rate 4 of 5' }).getAttribute('aria-pressed'))
      .toBe('true');
    const pinned = page.getByTestId('library-pinned');
    await expect.poll(() => pinned.textContent()).toContain('waggle dance');
    await expect.poll(() => page.getByRole('tab', { name: 'Pinned (1)' }).count()).toBe(1);

    // The second result (J moves down): X excludes it and it leaves the list.
    const before = await hits.count();
    const second = (await hits.nth(1).getAttribute('aria-label'))!;
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect.poll(() => hits.count()).toBe(before - 1);
    expect(await page.getByRole('article', { name: second, exact: true }).count()).toBe(0);
    // Shown again, struck through, with "Show excluded".
    await page.getByLabel('Show excluded').check();
    await expect.poll(() => hits.count()).toBe(before);
    await expect.poll(() => page.locator('[data-testid="library-hit"].excluded').count()).toBe(1);
    await page.getByLabel('Show excluded').uncheck();
    await expect.poll(() => hits.count()).toBe(before - 1);

    // Fusion: convex combination of scores instead of RRF reruns the search; the right passage stays first.
    const summary = page.getByTestId('library-result-summary');
    await expect.poll(() => summary.textContent()).toMatch(/RRF fusion/);
    await page.getByLabel('Fusion').selectOption('convex');
    await expect.poll(() => summary.textContent()).toMatch(/convex fusion/);
    await expect.poll(() => hits.first().textContent()).toContain('waggle dance');
    await page.getByLabel('Fusion').selectOption('rrf');
    await expect.poll(() => summary.textContent()).toMatch(/RRF fusion/);
  });

  it('opens a passage in its source with the passage marked', async () => {
    const hits = page.getByTestId('library-hit');
    await hits.first().getByRole('button', { name: 'Open in source' }).click();
    const source = page.getByTestId('library-source');
    await source.waitFor();
    const mark = source.getByTestId('library-source-passage');
    await expect.poll(() => mark.textContent()).toContain('waggle dance');
    // The source shows more than the passage: the text around it.
    expect((await source.locator('.text').textContent())!.length).toBeGreaterThan((await mark.textContent())!.length);
    expect(await source.locator('.text').textContent()).toContain('Honey bees');
    await shot(page, 'library-source-1400.png', 1400);
    await shot(page, 'library-source-1000.png', 1000);
  });

  it('rewrites the query and exports the curation log as JSONL', async () => {
    const query = page.getByLabel('Search the library');
    await query.fill('Fresnel lens');
    await query.press('Enter');
    await expect
      .poll(() => page.getByTestId('library-hit').first().textContent(), { timeout: 30_000 })
      .toContain('Fresnel');

    await page.getByRole('tab', { name: /^Log/ }).click();
    const events = page.getByTestId('library-log-event');
    await expect.poll(() => events.count()).toBeGreaterThanOrEqual(5);
    const actions = await events.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['pin', 'rate', 'exclude', 'open', 'rewrite']));
    await shot(page, 'library-log-1000.png', 1000);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export log (JSONL)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
    const lines = fs
      .readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            action: string;
            query: string;
            doc: string | null;
            rank: number | null;
            retriever: string | null;
            value: unknown;
          },
      );
    const pin = lines.find((l) => l.action === 'pin')!;
    expect(pin).toMatchObject({ query: 'waggle dance of forager bees', doc: 'bees.md', rank: 1, retriever: 'hybrid' });
    expect(lines.find((l) => l.action === 'rate')).toMatchObject({ value: 4 });
    expect(lines.find((l) => l.action === 'rewrite')).toMatchObject({
      query: 'waggle dance of forager bees',
      value: 'Fresnel lens',
    });
    expect(lines.some((l) => l.action === 'exclude' && l.rank === 2)).toBe(true);
  });

  it('shows what personalization learned, and removes a document with Undo', async () => {
    await page.getByRole('tab', { name: 'Learned' }).click();
    await page.getByRole('switch', { name: /Learn from my curation/ }).waitFor();
    await expect.poll(() => page.getByTestId('library-intent').textContent()).toMatch(/\w/);
    expect(await page.getByTestId('library-intent-source').textContent()).toMatch(/by term statistics/);
    // A model author writes the summary instead; its terms are kept only where the library has them.
    const writer = page.getByLabel('Summarise with');
    expect(await writer.locator('option').allTextContents()).toEqual(['term statistics', 'Iris (iris-7b)']);
    await writer.selectOption({ label: 'Iris (iris-7b)' });
    await expect
      .poll(() => page.getByTestId('library-intent').textContent())
      .toBe('The writer wants to know how forager bees find flowers and tell the hive.');
    expect(await page.getByTestId('library-intent-source').textContent()).toMatch(/summarised by Iris/);
    expect(await page.getByLabel('Terms you favour').textContent()).toBe('waggleflowers');
    await shot(page, 'library-learned-1400.png', 1400);
    await writer.selectOption({ label: 'term statistics' });
    await expect.poll(() => page.getByTestId('library-intent-source').textContent()).toMatch(/by term statistics/);

    const docs = page.getByTestId('library-document');
    await docs.filter({ hasText: 'tariffs.txt' }).getByRole('button', { name: 'Remove tariffs.txt' }).click();
    await expect.poll(() => docs.count()).toBe(2);
    await page
      .getByRole('status')
      .filter({ hasText: 'Removed “tariffs.txt”' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect.poll(() => docs.count()).toBe(3);
  });

  it('offers the pinned passages as context in the Write view, previewed before a model runs', async () => {
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+n');
    await page.getByLabel('Document title').waitFor();
    await page.getByRole('button', { name: '✦ Model', exact: true }).click();
    const toggle = page.getByLabel('Use pinned passages (1)');
    await toggle.check();
    await page.getByRole('button', { name: /1 passage · \d+ words/ }).click();
    const preview = page.getByTestId('pinned-context-preview');
    // The pinned passage by its citation and words (the bees.md "Foraging" paragraph: 31 words).
    await expect.poll(() => preview.textContent()).toMatch(/bees\.md #1 · 31 words/);
    expect(await preview.textContent()).toContain('waggle dance');
    await shot(page, 'library-write-context-1400.png', 1400, 700);
    expect(errors).toEqual([]);
  });
});
