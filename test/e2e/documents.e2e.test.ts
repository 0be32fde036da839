import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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
    await page.locator('[aria-label="Document text"][contenteditable="true"]').click();
    await page.keyboard.type(text, { delay: 5 });
    await page.locator('[data-save-status="saved"]').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SHOTS, 'write-view.png') });

    await page.reload();
    await expect.poll(() => page.getByLabel('Document text').innerText(), { timeout: 10_000 }).toBe(text);
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
    await expect.poll(() => page.getByLabel('Document text').innerText()).toBe(text);

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

  it('imports with the core rules: a binary .txt is refused, a .txt keeps its name as title', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'New document' }).waitFor();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    await page.locator('input[type=file]').setInputFiles([
      { name: 'photo.txt', mimeType: 'text/plain', buffer: png },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('# not a heading\r\nplain text\r\n') },
    ]);
    await page.getByRole('alert').filter({ hasText: 'photo.txt looks like a binary file, not text.' }).waitFor();
    await page.locator('[data-doc-id]').filter({ hasText: 'notes' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'write-import-refused.png') });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dataDir, 'palimpsest.db'), { readonly: true });
    expect(db.prepare("SELECT title, body FROM documents WHERE title IN ('notes', 'photo')").all()).toEqual([
      { title: 'notes', body: '# not a heading\nplain text\n' },
    ]);
    db.close();
    await page.close();
  });

  it('shows jobs another process runs, with their names, in every view', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.keyboard.press('Control+2');
    await page.getByRole('heading', { name: 'Detect' }).waitFor();
    // A job held by another live process (this test's pid, a lease far ahead): the server's runner
    // leaves it alone and reports no event for it; only the job list knows it.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dataDir, 'palimpsest.db'));
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('jobs') as string[];
    const now = Date.now();
    db.prepare(
      `INSERT INTO jobs (id, kind, status, payload, done, total, message, created_at, started_at, updated_at)
       VALUES ('cli-job', 'documents.import', 'running', '{"paths":[]}', 3, 40, 'essay-03.txt', ?, ?, ?)`,
    ).run(now, now, now);
    if (columns.includes('lease_expires_at'))
      db.prepare(`UPDATE jobs SET owner = ?, lease_expires_at = ? WHERE id = 'cli-job'`).run(
        `${os.hostname()}:${process.pid}:abcd1234`,
        now + 3_600_000,
      );
    const bar = page.getByRole('region', { name: 'Background jobs' });
    await bar.getByText('Importing documents').waitFor({ timeout: 10_000 });
    expect(await bar.textContent()).toContain('3 of 40');
    expect(await bar.textContent()).not.toContain('documents.import');
    await page.screenshot({ path: path.join(SHOTS, 'jobs-bar-detect.png') });
    await page.keyboard.press('Control+3');
    await bar.getByText('Importing documents').waitFor();

    db.prepare(
      `UPDATE jobs SET status = 'failed', error = 'essay-04.txt could not be read.', updated_at = ? WHERE id = 'cli-job'`,
    ).run(Date.now() + 1);
    db.close();
    await bar.getByText('Importing documents failed').waitFor({ timeout: 10_000 });
    await bar.getByText('essay-04.txt could not be read.').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'jobs-bar-failed.png') });
    await bar.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => bar.count()).toBe(0);
    await page.close();
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
