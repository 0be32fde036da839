import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultHandler,
  startFakeOpenAiServer,
  writeSseStream,
  type FakeOpenAiServer,
} from '../../src-main/llm/openai/fake-openai-server';
import { hasChromium, launchChromium } from '../helpers/browser';
import { SHOTS, startServer } from '../helpers/server';
import { repoRoot, tempDir } from '../helpers/temp-dir';

const shared = process.env.PALIMPSEST_SHARED ?? path.resolve(repoRoot, '../shared');
const checkpoint = path.join(shared, 'models/stories260K/stories260K.bin');
const hasModel = fs.existsSync(checkpoint) && fs.existsSync(path.join(path.dirname(checkpoint), 'tok512.bin'));
if (!hasModel) console.warn(`models E2E skipped: ${checkpoint} not found (set PALIMPSEST_SHARED to the shared folder)`);

describe.skipIf(!hasChromium || !hasModel)('E2E: the Models view in browser mode (Debian Chromium)', () => {
  let browser: Browser;
  let server: { url: string; proc: ChildProcess };
  let fake: FakeOpenAiServer;
  let page: Page;
  const errors: string[] = [];
  const dataDir = tempDir();
  const secret = 'sk-e2e-secret-never-shown-4321';

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    fake = await startFakeOpenAiServer();
    // A closed port for Ollama, so the test does not depend on one running on this machine.
    server = await startServer(dataDir, { OLLAMA_HOST: 'http://127.0.0.1:9' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
    await fake?.close();
  });

  it('imports stories260K, creates an author and streams "Once upon a time" in the playground', async () => {
    await page.keyboard.press('Control+5');
    await page.getByRole('heading', { name: 'Models', exact: true }).waitFor();
    await page.getByText('No local models yet').waitFor();
    await page.getByText('No model authors yet').waitFor();
    await page.locator('[data-provider="local"]').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'models-empty.png'), fullPage: true });

    // Import a llama2.c checkpoint by its server-side path; it is converted to GGUF.
    await page.getByLabel('Model file path').fill(checkpoint);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const row = page.locator('[data-model-id="stories260K"]');
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(() => row.textContent()).toContain('F32');
    expect(fs.existsSync(path.join(dataDir, 'models', 'stories260K.gguf'))).toBe(true);

    // A non-model file is refused with a clear message.
    const junk = path.join(dataDir, 'notes.txt');
    fs.writeFileSync(junk, 'just words\n');
    await page.getByLabel('Model file path').fill(junk);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('is not a GGUF model').waitFor();

    // An author on the local engine, greedy so the story is the model's best-known opening.
    await page.getByRole('button', { name: 'New author' }).click();
    const form = page.getByRole('form', { name: 'New author' });
    await form.getByLabel('Name').fill('Storyteller');
    await expect.poll(() => form.getByLabel('Model').inputValue()).toBe('stories260K');
    await form.getByLabel('Temperature').fill('0');
    await form.getByLabel('Max tokens').fill('60');
    await form.getByLabel('Persona (system prompt)').fill('You tell bedtime stories for small children.');
    await form.getByRole('button', { name: 'Create author' }).click();
    await page.locator('[data-author-id]').getByText('Storyteller').waitFor();

    // Playground: continue from nothing; the text streams in.
    await page.getByRole('button', { name: 'Generate' }).click();
    const output = page.getByLabel('Playground output');
    await expect.poll(() => output.textContent(), { timeout: 30_000 }).toMatch(/^Once upon a time/);
    const stats = page.getByTestId('playground-stats');
    await stats.waitFor({ timeout: 30_000 });
    expect((await stats.textContent())!.replace(/\s+/g, ' ')).toMatch(/TTFT \d+ ms · [\d.]+ tokens\/s · 60 tokens/);
    await page.screenshot({ path: path.join(SHOTS, 'models-playground.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('adds an endpoint with a key that is never shown again, and tests it', async () => {
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const form = page.getByRole('form', { name: 'Add an endpoint' });
    await form.getByLabel('Name').fill('Lab server');
    await form.getByLabel('Base URL').fill(fake.baseUrl);
    await form.getByLabel('API key').fill(secret);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText(/Connected in \d+ ms · 1 model/).waitFor();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const ep = page.locator('[data-provider^="endpoint:"]');
    await ep.getByText('key set').waitFor();
    await ep.getByText('fake-model').waitFor();
    await ep.getByRole('button', { name: 'Test connection' }).click();
    await ep.getByText(/1 model: fake-model · \d+ ms/).waitFor();
    expect(fake.requests.some((r) => r.headers.authorization === `Bearer ${secret}`)).toBe(true);

    await page.reload();
    await page.locator('[data-provider^="endpoint:"]').waitFor();
    await page.locator('[data-provider^="endpoint:"]').getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit Lab server' });
    expect(await edit.getByLabel('API key').inputValue()).toBe('');
    expect(await page.content()).not.toContain(secret);
    await page.screenshot({ path: path.join(SHOTS, 'models-endpoint.png'), fullPage: true });
    await edit.getByRole('button', { name: 'Cancel' }).click();
    expect(errors).toEqual([]);
  });

  it('stops a streaming generation with the Stop button, and records it as aborted', async () => {
    await page.getByRole('button', { name: 'New author' }).click();
    const form = page.getByRole('form', { name: 'New author' });
    await form.getByLabel('Name').fill('Muse');
    await form.getByLabel('Provider').selectOption({ label: 'Lab server' });
    await form.getByLabel('Model').fill('fake-model');
    await form.getByRole('button', { name: 'Create author' }).click();
    await page.locator('[data-author-id]').getByText('Muse').waitFor();

    fake.handle((_req, res) =>
      writeSseStream(
        res,
        Array.from({ length: 60 }, (_, i) => (i === 0 ? 'Once' : ' more')),
        { delayMs: 150 },
      ),
    );
    await page.getByLabel('Playground author').selectOption({ label: 'Muse (fake-model)' });
    await page.getByLabel('Playground mode').selectOption('chat');
    await page.getByLabel('Playground prompt').fill('Begin.');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect.poll(() => page.getByLabel('Playground output').textContent()).toMatch(/^Once more/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('playground-stats').getByText('stopped').waitFor();
    await page.getByRole('button', { name: 'Generate' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'models-stopped.png') });
    fake.handle(defaultHandler);

    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dataDir, 'palimpsest.db'), { readonly: true });
    const reasons = () =>
      db
        .prepare(`SELECT g.finish_reason FROM generations g JOIN authors a ON a.id = g.author_id WHERE a.name = 'Muse'`)
        .pluck()
        .all();
    await expect.poll(reasons, { timeout: 10_000 }).toEqual(['abort']);
    db.close();
    expect(errors).toEqual([]);
  });

  it('looks right in a dark OS theme', async () => {
    const ctx = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
    const dark = await ctx.newPage();
    await dark.goto(server.url);
    await dark.keyboard.press('Control+5');
    await dark.locator('[data-model-id="stories260K"]').waitFor();
    await dark.locator('[data-catalog-id]').first().waitFor();
    await dark.screenshot({ path: path.join(SHOTS, 'models-dark.png'), fullPage: true });
    await dark
      .locator('section[aria-labelledby="catalog-h"]')
      .screenshot({ path: path.join(SHOTS, 'models-catalog.png') });
    await ctx.close();
  });
});
