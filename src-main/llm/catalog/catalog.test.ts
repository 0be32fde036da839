import { describe, expect, it } from 'vitest';
import { checkMemoryFit, describeVerification, estimateMemory, findCatalogEntry, listCatalog } from '.';

describe('model catalog', () => {
  it('has the curated models with download URLs, licences and honest checksum status', () => {
    const ids = listCatalog().map((e) => e.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'qwen2.5-0.5b-instruct',
        'qwen2.5-1.5b-instruct',
        'qwen2.5-3b-instruct',
        'llama-3.2-1b-instruct',
        'llama-3.2-3b-instruct',
        'smollm2-360m-instruct',
        'smollm2-1.7b-instruct',
        'gemma-3-1b-it',
        'phi-3.5-mini-instruct',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of listCatalog()) {
      expect(e.url).toMatch(/^https:\/\/huggingface\.co\/[^/]+\/[^/]+\/resolve\/main\/[^/]+\.gguf$/);
      expect(e.url.endsWith(`/${e.fileName}`)).toBe(true);
      // In bytes, not MB (the smallest entry, an embedding model, is ~37 MB).
      expect(e.sizeBytes).toBeGreaterThan(10e6);
      expect(e.licence.url).toMatch(/^https:\/\//);
      if (e.sha256 === null) expect(describeVerification(e)).toMatch(/^UNVERIFIED/);
      else expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(e.checksumNote.length).toBeGreaterThan(10);
    }
  });

  it('says plainly when a file cannot be verified', () => {
    expect(describeVerification({ sha256: null, checksumNote: 'No published SHA-256.' })).toBe(
      'UNVERIFIED: No published SHA-256.',
    );
    expect(describeVerification({ sha256: 'ab'.repeat(32), checksumNote: '' })).toMatch(
      /^verified against SHA-256 abababababab/,
    );
  });

  it('estimates memory from weights, KV cache and overhead, and compares with free memory', () => {
    const e = findCatalogEntry('Qwen2.5-0.5B-Instruct')!;
    const need = estimateMemory(e, 4096);
    expect(need).toBeGreaterThan(e.sizeBytes);
    expect(need).toBeLessThan(e.sizeBytes * 2);
    expect(checkMemoryFit(e, { freeBytes: 8e9 })).toMatchObject({ fits: true, tight: false });
    expect(checkMemoryFit(e, { freeBytes: need * 1.1 })).toMatchObject({ fits: true, tight: true });
    expect(checkMemoryFit(e, { freeBytes: 1e8 }).fits).toBe(false);
    // A bigger context costs more for a model with a large KV cache.
    const phi = findCatalogEntry('phi-3.5-mini-instruct')!;
    expect(estimateMemory(phi, 16_384) - estimateMemory(phi, 4096)).toBe(phi.kvBytesPerToken * 12_288);
  });
});
