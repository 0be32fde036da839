import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../helpers/browser';
import { SHOTS, startServer } from '../helpers/server';
import { tempDir } from '../helpers/temp-dir';

describe.skipIf(!hasChromium)('E2E: documents in browser mode (Debian Chromium)', () => {
  let browser: Browser;
  let server: { url: string; proc: ChildProcess };
  const dataDir = tempDir();

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer(dataDir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
  });

  it('creates a document, types, reloads: the text is still there', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByText('No documents yet').waitFor();

    await page.keyboard.press('Control+n');
    const title = page.getByLabel('Document title');
    await title.waitFor();
    await title.fill('A day at the river');
    await title.press('Enter');
    const text = 'The river was high that spring, and the ferryman refused to cross.';
    await page.getByLabel('Document text').click();
    await page.keyboard.type(text, { delay: 5 });
    await page.locator('[data-save-status="saved"]').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SHOTS, 'write-view.png') });

    await page.reload();
    await expect.poll(() => page.getByLabel('Document text').inputValue(), { timeout: 10_000 }).toBe(text);
    expect(await page.getByLabel('Document title').inputValue()).toBe('A day at the river');

    // History shows the revisions and who wrote the text.
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'Revisions' }).waitFor();
    await expect.poll(() => page.locator('.history ol li').count()).toBeGreaterThanOrEqual(2);
    await page.getByText('You: 100%').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'history-panel.png') });
    await page.getByRole('button', { name: 'Close history' }).click();

    // Search, then delete with undo.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('ferryman');
    await expect.poll(() => page.locator('[data-doc-id]').count()).toBe(1);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByLabel('Document text').inputValue()).toBe(text);

    // The help overlay lists the shortcuts.
    await page.keyboard.press('F1');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'help-overlay.png') });
    await page.keyboard.press('Escape');

    // The database itself holds the text (not just the browser).
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dataDir, 'palimpsest.db'), { readonly: true });
    expect(db.prepare('SELECT body FROM documents').pluck().all()).toEqual([text]);
    db.close();
    expect(errors).toEqual([]);
  });

  it('switches views with Ctrl+digits and follows a dark OS theme', async () => {
    const ctx = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(server.url);
    await page.keyboard.press('Control+2');
    await page.getByRole('heading', { name: 'Detect' }).waitFor();
    await page.keyboard.press('Control+6');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByText(dataDir).waitFor();
    await page.keyboard.press('Control+1');
    await page.locator('[data-doc-id]').first().click();
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(30, 31, 36)');
    await page.screenshot({ path: path.join(SHOTS, 'write-view-dark.png') });
    await ctx.close();
  });
});
