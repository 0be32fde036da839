import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliPath, tempDir } from '../helpers/temp-dir';

const FILES = 80;

describe('jobs survive kill -9', () => {
  it('resumes an import killed mid-way: every file imported exactly once', async () => {
    const dataDir = tempDir();
    const src = tempDir();
    for (let i = 0; i < FILES; i++)
      fs.writeFileSync(path.join(src, `essay-${String(i).padStart(3, '0')}.txt`), `Essay number ${i}.\n`);

    const child = spawn(process.execPath, [cliPath, '--data-dir', dataDir, 'docs', 'import', src], {
      env: { ...process.env, PALIMPSEST_JOB_STEP_DELAY_MS: '25' },
      stdio: 'ignore',
    });
    const dbFile = path.join(dataDir, 'palimpsest.db');
    let imported = 0;
    for (let i = 0; i < 400 && imported < 15; i++) {
      await new Promise((r) => setTimeout(r, 25));
      if (!fs.existsSync(dbFile)) continue;
      try {
        const db = new Database(dbFile, { readonly: true, fileMustExist: true });
        imported = db.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number;
        db.close();
      } catch {
        // the child may still be creating the schema
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(imported).toBeGreaterThanOrEqual(15);

    let db = new Database(dbFile);
    const mid = db.prepare('SELECT status, done FROM jobs').get() as { status: string; done: number };
    const midCount = db.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number;
    db.close();
    expect(mid.status).toBe('running');
    expect(midCount).toBeLessThan(FILES);
    expect(mid.done).toBe(midCount); // checkpoint and documents committed together

    const resumed = spawnSync(process.execPath, [cliPath, '--data-dir', dataDir, '--json', 'jobs', 'resume'], {
      encoding: 'utf8',
    });
    expect(resumed.status).toBe(0);

    db = new Database(dbFile);
    const titles = db.prepare('SELECT title FROM documents ORDER BY title').pluck().all() as string[];
    const job = db.prepare('SELECT status, done, total, result FROM jobs').get() as {
      status: string;
      done: number;
      total: number;
      result: string;
    };
    db.close();
    expect(job).toMatchObject({ status: 'succeeded', done: FILES, total: FILES });
    expect(titles).toHaveLength(FILES);
    expect(new Set(titles).size).toBe(FILES);
    expect(titles[0]).toBe('essay-000');
    expect(titles.at(-1)).toBe(`essay-${String(FILES - 1).padStart(3, '0')}`);
  });

  it('two processes importing into one data folder at once: every file exactly once, resume leaves held jobs', async () => {
    const dataDir = tempDir();
    const folders = [tempDir(), tempDir()];
    const PER = 200;
    folders.forEach((dir, f) => {
      for (let i = 0; i < PER; i++)
        fs.writeFileSync(path.join(dir, `f${f}-${String(i).padStart(3, '0')}.txt`), `Text ${f}/${i}.\n`);
    });
    const env = { ...process.env, PALIMPSEST_JOB_STEP_DELAY_MS: '8' };
    const start = (dir: string) => {
      const child = spawn(process.execPath, [cliPath, '--data-dir', dataDir, '--json', 'docs', 'import', dir], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      return new Promise<{ code: number | null; out: string }>((resolve) =>
        child.once('exit', (code) => resolve({ code, out })),
      );
    };
    const first = start(folders[0]!);
    const dbFile = path.join(dataDir, 'palimpsest.db');
    const count = () => {
      try {
        const db = new Database(dbFile, { readonly: true, fileMustExist: true });
        const n = db.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number;
        db.close();
        return n;
      } catch {
        return 0; // the schema may not exist yet
      }
    };
    for (let i = 0; i < 400 && count() < 10; i++) await new Promise((r) => setTimeout(r, 25));
    const second = start(folders[1]!); // starts while the first holds its job
    for (let i = 0; i < 400 && count() < 40; i++) await new Promise((r) => setTimeout(r, 25));
    const resume = spawnSync(process.execPath, [cliPath, '--data-dir', dataDir, '--json', 'jobs', 'resume'], {
      encoding: 'utf8',
      env,
    });
    expect(resume.status, resume.stderr).toBe(0);
    expect(resume.stderr).toMatch(/running in another Palimpsest process \(pid \d+/);

    const results = await Promise.all([first, second]);
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ imported: PER, errors: [] });
    }
    const db = new Database(dbFile);
    const titles = db.prepare('SELECT title FROM documents').pluck().all() as string[];
    const jobs = db.prepare('SELECT status, done FROM jobs').all();
    db.close();
    expect(titles).toHaveLength(2 * PER);
    expect(new Set(titles).size).toBe(2 * PER);
    expect(jobs).toEqual([
      { status: 'succeeded', done: PER },
      { status: 'succeeded', done: PER },
    ]);
  });
});
