import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LlmError } from '../errors';
import { writeGguf } from '../gguf';
import type { GenerationRequest } from '../provider';
import { createLocalProvider, type LocalProvider } from './index';

/** Model-free: only paths that fail before llama.cpp is started (no binding is loaded here). */
describe('LocalProvider without a model', () => {
  let dir: string;
  let provider: LocalProvider;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'palimpsest-local-'));
    provider = createLocalProvider({ modelsDir: dir, threads: 1 });
  });
  afterEach(async () => {
    await provider.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function codeOf(request: GenerationRequest): Promise<string> {
    const error = await (async () => {
      for await (const part of provider.generate(request)) void part;
    })().catch((e: unknown) => e);
    if (!LlmError.isInstance(error)) throw new Error(`expected an LlmError, got ${String(error)}`);
    return error.code;
  }

  it('lists valid GGUF files (two levels deep) with their context length, skipping broken ones', async () => {
    mkdirSync(join(dir, 'org'));
    const meta = (ctx: number) => [
      { key: 'general.architecture', type: 'string', value: 'llama' } as const,
      { key: 'llama.context_length', type: 'u32', value: ctx } as const,
    ];
    await writeGguf(join(dir, 'b.gguf'), meta(2048), []);
    await writeGguf(join(dir, 'org', 'a.gguf'), meta(512), []);
    writeFileSync(join(dir, 'broken.gguf'), 'not a model');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    expect(await provider.listModels()).toEqual([
      { id: 'b', contextLength: 2048 },
      { id: 'org/a', contextLength: 512 },
    ]);
  });

  it('lists nothing when the models folder does not exist', async () => {
    const absent = createLocalProvider({ modelsDir: join(dir, 'absent') });
    expect(await absent.listModels()).toEqual([]);
    await absent.dispose();
  });

  it('rejects missing, escaping and non-GGUF models with typed errors before loading anything', async () => {
    const request = { kind: 'completion', prompt: 'x' } as const;
    expect(await codeOf({ ...request, model: 'absent' })).toBe('model_missing');
    expect(await codeOf({ ...request, model: '../outside' })).toBe('model_missing');
    writeFileSync(join(dir, 'junk.gguf'), Buffer.alloc(1000, 7));
    expect(await codeOf({ ...request, model: 'junk' })).toBe('invalid_model');
  });

  it('refuses to generate after dispose', async () => {
    await provider.dispose();
    expect(await codeOf({ kind: 'completion', model: 'x', prompt: 'x' })).toBe('internal');
  });
});
