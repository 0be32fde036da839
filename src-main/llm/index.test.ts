import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `code` in a fresh Node process whose resolve hook prints `LOADED <url>` for each node-llama-cpp module. */
function runWatchingNodeLlamaCpp(code: string, preload: string[] = []): string {
  const dir = tempDir();
  const hook = path.join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    `export async function resolve(spec, ctx, next) {
      const r = await next(spec, ctx);
      if (r.url.includes('/node-llama-cpp/')) process.stdout.write('LOADED ' + r.url + '\\n');
      return r;
    }`,
  );
  const register = path.join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hook).href)});`,
  );
  return execFileSync(
    process.execPath,
    [
      '--import',
      pathToFileURL(register).href,
      ...preload.flatMap((p) => ['--import', p]),
      '--input-type=module',
      '-e',
      code,
    ],
    { cwd: root, encoding: 'utf8', timeout: 60_000 },
  );
}

describe('the llm barrel', () => {
  it('imports without loading node-llama-cpp (the engine loads it on the first local model)', () => {
    const barrel = pathToFileURL(path.join(root, 'src-main/llm/index.ts')).href;
    const out = runWatchingNodeLlamaCpp(
      `const m = await import(${JSON.stringify(barrel)}); console.log('EXPORTS ' + Object.keys(m).join(','));`,
      ['tsx'],
    );
    expect(out).not.toMatch(/LOADED/);
    const exports = out.match(/^EXPORTS (.*)$/m)?.[1]?.split(',') ?? [];
    expect(exports).toEqual(
      expect.arrayContaining(['LlmService', 'LocalEngine', 'createLocalProvider', 'readGgufInfo']),
    );
  });

  it('is watched by a hook that does see node-llama-cpp when something loads it', () => {
    expect(runWatchingNodeLlamaCpp(`await import('node-llama-cpp');`)).toMatch(/LOADED/);
  });
});
