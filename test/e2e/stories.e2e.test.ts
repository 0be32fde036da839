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

/**
 * Three model authors on a fake OpenAI-compatible endpoint, each with its own voice (so the analysis
 * has something to find). Bram's first attempt is too short, so his part is regenerated.
 */
const VOICES: Record<string, string> = {
  'ada-7b':
    'The rain came at dusk. Mara closed the shutters. She lit one candle and waited. The house was quiet. Far off a dog barked twice. She counted the seconds between the flashes. Nine. Then seven. The storm was coming closer. She did not mind. She had waited for it all week. Now it was here. She smiled and opened the old map on the table.',
  'bram-13b':
    'Across the valley, where the river bent like a tired elbow around the mill, old Tobias leaned on his stick and considered, with the slow patience of a man who has outlived most of his certainties, whether the lantern he saw bobbing along the ridge belonged to a traveller, a thief, or, as his grandmother would have insisted, something altogether less respectable.',
  'cleo-7b':
    '"You saw it too?" asked Pim, breathless at the door. "Of course I did," said Mara, folding the map. "Then we go now," Pim said. "Tonight? In this?" "Tonight," he said, grinning. "Before anyone else does." Mara laughed and reached for her coat. "Fine. But you carry the lamp." They stepped out into the wind together.',
};
const SHORT = 'Too short to keep.';

/** Streams a text word by word, slowly enough to watch. */
function words(text: string): string[] {
  return text.split(/(?=\s)/);
}

describe.skipIf(!hasChromium)('E2E: the Stories view in browser mode (Debian Chromium)', () => {
  let browser: Browser;
  let server: { url: string; proc: ChildProcess };
  let fake: FakeOpenAiServer;
  let page: Page;
  const errors: string[] = [];
  const dataDir = tempDir();
  const calls: Record<string, number> = {};

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    fake = await startFakeOpenAiServer();
    fake.handle(async (req, res) => {
      if (req.method === 'GET' && req.path.endsWith('/models'))
        return writeJson(res, 200, {
          object: 'list',
          data: Object.keys(VOICES).map((id) => ({ id, object: 'model' })),
        });
      const model = String(req.body?.model ?? '');
      const kind = req.path.endsWith('/chat/completions') ? 'chat' : 'completion';
      calls[model] = (calls[model] ?? 0) + 1;
      const text = model === 'bram-13b' && calls[model] === 1 ? SHORT : (VOICES[model] ?? SHORT);
      await writeSseStream(res, words(text), { kind, delayMs: 25 });
    });
    server = await startServer(dataDir, { OLLAMA_HOST: 'http://127.0.0.1:9' });
    // Set-up through the API (the Models view has its own E2E test): an endpoint and three authors.
    const url = new URL(server.url);
    const api = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${url.origin}/trpc`,
          headers: { authorization: `Bearer ${url.searchParams.get('token')}` },
        }),
      ],
    });
    const endpoint = await api.llm.addEndpoint.mutate({ name: 'Lab fleet', baseUrl: fake.baseUrl });
    for (const [name, model] of [
      ['Ada', 'ada-7b'],
      ['Bram', 'bram-13b'],
      ['Cleo', 'cleo-7b'],
    ] as const)
      await api.llm.createAuthor.mutate({ name, provider: `endpoint:${endpoint.id}`, model });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    // Svelte's runtime warnings (a stale derived, say) are bugs here too.
    page.on('console', (m) => {
      if (m.type() === 'warning' || m.type() === 'error') errors.push(m.text());
    });
    await page.goto(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
    await fake?.close();
  });

  it('sets up a 3-author story, watches it being written, then finds it, opens it and analyses it', async () => {
    await page.keyboard.press('Control+3');
    await page.getByRole('heading', { name: 'Stories', exact: true }).waitFor();
    await page.getByText('Nothing being written').waitFor();

    // Authors in order, then one moved: Ada, Cleo, Bram.
    const add = page.getByLabel('Author to add');
    for (const name of ['Ada', 'Bram', 'Cleo']) {
      await add.selectOption({ label: `${name} (${name.toLowerCase()}-${name === 'Bram' ? '13b' : '7b'})` });
      await page.getByRole('button', { name: 'Add author' }).click();
    }
    await page.getByRole('button', { name: 'Move Cleo up' }).click();
    const order = page.getByRole('list', { name: 'Authors in order' }).locator('li .name');
    await expect.poll(() => order.allTextContents()).toEqual(['Ada', 'Cleo', 'Bram']);

    // A built-in prompt, and budgets that fit the fake authors' texts (which turns the preset custom).
    const builtIn = page.getByLabel('Built-in prompt');
    await builtIn.selectOption({ index: 1 });
    expect(await page.getByLabel('Story prompt').inputValue()).not.toBe('');
    await page.getByLabel('Words per part').fill('60');
    await page.getByLabel('Regenerate under (words)').fill('30');
    await page.getByText('custom', { exact: true }).waitFor();
    await expect
      .poll(() => page.getByTestId('run-summary').textContent())
      .toContain('1 story, 3 parts of about 60 words');
    await page.screenshot({ path: path.join(SHOTS, 'stories-setup-1400.png') });

    // Write it: the text streams in, part by part, in each author's colour.
    await page.getByRole('button', { name: 'Write story' }).click();
    const live = page.getByRole('region', { name: 'Live story' });
    await live.locator('.part.streaming .text').first().waitFor();
    await expect.poll(() => live.locator('.part.streaming .text').first().textContent()).toMatch(/\w+ \w+/);
    await page.screenshot({ path: path.join(SHOTS, 'stories-live-1400.png') });
    await expect.poll(() => page.getByTestId('live-status').textContent(), { timeout: 30_000 }).toBe('done');
    const parts = live.locator('[data-part]');
    expect(await parts.evaluateAll((els) => els.map((e) => e.querySelector('strong')?.textContent))).toEqual([
      'Ada',
      'Cleo',
      'Bram',
    ]);
    // Bram's first attempt was under 30 words: written again, and marked.
    await parts.nth(2).getByText('attempt 2').waitFor();
    expect(await parts.nth(2).locator('.text').textContent()).toContain('old Tobias');
    expect(await parts.nth(0).getByTestId('part-stats').textContent()).toMatch(/\d+ words/);
    await page.screenshot({ path: path.join(SHOTS, 'stories-done-1400.png') });

    // The list has it; a search that matches nothing empties it, clearing brings it back.
    await page.getByRole('tab', { name: /Stories/ }).click();
    const rows = page.locator('[data-story-id]');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Search stories').fill('zzzz-no-such-story');
    await page.getByText('No story matches these filters.').waitFor();
    await page.getByLabel('Search stories').fill('Tobias');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().click();
    const detail = page.getByRole('article', { name: 'Story' });
    await detail.locator('[data-part]').nth(2).waitFor();

    // The analysis: predictions beside the truth, with F1.
    await detail.getByRole('button', { name: 'Analyse' }).click();
    const scores = page.getByTestId('analysis-scores');
    await expect.poll(() => scores.textContent(), { timeout: 15_000 }).toMatch(/F1 [01]\.\d\d/);
    expect(await scores.textContent()).toMatch(/\d of 2 boundaries right/);
    await page.getByRole('img', { name: 'Probability of a change at each boundary' }).waitFor();
    await page.getByRole('img', { name: /true authors above/ }).waitFor();
    // The view scrolls inside its own pane: a tall window shows the whole story and its analysis.
    await page.setViewportSize({ width: 1400, height: 1500 });
    await page.screenshot({ path: path.join(SHOTS, 'stories-analysis-1400.png') });
    await page.setViewportSize({ width: 1000, height: 1700 });
    await page.screenshot({ path: path.join(SHOTS, 'stories-analysis-1000.png') });
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.getByRole('tab', { name: 'New run' }).click();
    await page.screenshot({ path: path.join(SHOTS, 'stories-run-1000.png') });
    await page.getByRole('tab', { name: /Stories/ }).click();

    // Open in Write: the story's document in the editor.
    await detail.getByRole('button', { name: 'Open in Write' }).click();
    await expect.poll(() => page.locator('.ProseMirror').textContent(), { timeout: 10_000 }).toContain('old Tobias');
    await page.setViewportSize({ width: 1400, height: 1000 });
    expect(errors).toEqual([]);
  });

  it('gives the human writer a turn between model authors', async () => {
    await page.keyboard.press('Control+3');
    await page.getByRole('tab', { name: 'New run' }).click();
    // Start over from the form the first test left: remove its authors with the keyboard.
    const rows = page.getByRole('list', { name: 'Authors in order' }).locator('li');
    while ((await rows.count()) > 0) {
      await rows.first().focus();
      await page.keyboard.press('Delete');
    }
    await page.getByLabel('Author to add').selectOption({ label: 'Ada (ada-7b)' });
    await page.getByRole('button', { name: 'Add author' }).click();
    await page.getByLabel('Author to add').selectOption({ label: 'me (human): write a part yourself' });
    await page.getByRole('button', { name: 'Add author' }).click();
    await page.getByLabel('Story prompt').fill('Two strangers share an umbrella in a storm.');
    await page.getByLabel('Story prompt').press('Control+Enter');

    const turn = page.getByRole('form', { name: 'Your part' });
    await turn.waitFor({ timeout: 20_000 });
    await turn.getByRole('textbox').fill('Neither of them spoke until the bus came. Then both laughed at once.');
    await page.screenshot({ path: path.join(SHOTS, 'stories-human-turn-1400.png') });
    await turn.getByRole('textbox').press('Control+Enter');
    await expect.poll(() => page.getByTestId('live-status').textContent(), { timeout: 20_000 }).toBe('done');
    const parts = page.getByRole('region', { name: 'Live story' }).locator('[data-part]');
    await expect.poll(() => parts.count()).toBe(2);
    expect(await parts.nth(1).getAttribute('data-author')).toBe('human');
    expect(await parts.nth(1).locator('.text').textContent()).toContain('both laughed');
    expect(errors).toEqual([]);
  });

  it('runs a batch from a prompts file, exports it with progress and trains the analysis on it', async () => {
    fake.handle(async (req, res) => {
      const model = String(req.body?.model ?? '');
      const kind = req.path.endsWith('/chat/completions') ? 'chat' : 'completion';
      await writeSseStream(res, words(VOICES[model] ?? SHORT), { kind });
    });
    await page.keyboard.press('Control+3');
    await page.getByRole('tab', { name: 'New run' }).click();
    await page.getByRole('radio', { name: 'Batch' }).check({ force: true });
    const rows = page.getByRole('list', { name: 'Authors in order' }).locator('li');
    while ((await rows.count()) > 0) {
      await rows.first().focus();
      await page.keyboard.press('Delete');
    }
    const add = async (label: string) => {
      await page.getByLabel('Author to add').selectOption({ label });
      await page.getByRole('button', { name: 'Add author' }).click();
    };
    await add('Ada (ada-7b)');
    await add('Cleo (cleo-7b)');
    await page.getByRole('button', { name: 'Add the authors above as a set' }).click();
    await rows.first().focus();
    await page.keyboard.press('Delete');
    await rows.first().focus();
    await page.keyboard.press('Delete');
    await add('Bram (bram-13b)');
    await page.getByRole('button', { name: 'Add the authors above as a set' }).click();

    // A JSONL prompts file with one broken line: two prompts, the broken line shown with its number.
    const file = path.join(dataDir, 'prompts.jsonl');
    fs.writeFileSync(
      file,
      '{"prompt": "A clockmaker builds a clock that runs backwards."}\n{"prompt": \n{"prompt": "The last train of the night never arrives."}\n',
    );
    await page.locator('input[type=file][accept*=".jsonl"]').setInputFiles(file);
    await page.getByTestId('prompts-file').getByText('2 prompts').waitFor();
    await page.getByRole('button', { name: '1 broken line' }).click();
    await page.getByRole('list', { name: 'Broken lines' }).getByText('line 2').waitFor();
    await page.getByRole('radio', { name: 'Every order' }).check();
    // 2 prompts × (2 orders of Ada+Cleo + 1 of Bram) = 6 stories.
    await expect.poll(() => page.getByTestId('run-summary').textContent()).toContain('6 stories');
    await page.screenshot({ path: path.join(SHOTS, 'stories-batch-setup-1400.png') });
    await page.getByRole('button', { name: 'Start batch' }).click();
    // Exactly one batch: the form's other buttons and Enter in a field never start a run.
    await page.getByText('Batch started: 6 stories.').waitFor();
    expect(await page.getByText(/^Batch started/).count()).toBe(1);
    await page.getByRole('region', { name: 'Stories of the batch' }).waitFor();
    await expect
      .poll(() => page.getByRole('region', { name: 'Stories of the batch' }).textContent(), { timeout: 60_000 })
      .toContain('6 of 6 written');

    // Export the batch: the job's progress, then the files it wrote; then train the analysis on it.
    await page.getByRole('tab', { name: 'Export' }).click();
    const out = path.join(dataDir, 'dataset');
    await page.getByLabel('Export folder').fill(out);
    await page.getByLabel('Stories to export').selectOption({ index: 1 });
    // Sentences (PAN 2025): a part's own sentences give the analysis non-changes to learn from.
    await page.getByLabel('Unit').selectOption('sentence');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('list', { name: 'Exported files' }).waitFor({ timeout: 30_000 });
    expect(fs.existsSync(path.join(out, 'stories.parquet'))).toBe(true);
    expect(fs.readdirSync(path.join(out, 'pan', 'train')).some((f) => f.startsWith('truth-problem-'))).toBe(true);
    await page.getByRole('button', { name: 'Train the analysis on its train split' }).click();
    await page.getByTestId('trained').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, 'stories-export-1400.png') });
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'stories-export-1000.png') });
    await page.setViewportSize({ width: 1400, height: 1000 });
    expect(errors).toEqual([]);
  }, 120_000);
});
