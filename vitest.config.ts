import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src-main/**); integration, model-dependent and E2E tests in test/.
// Forks, not threads: native modules (better-sqlite3, onnxruntime, llama.cpp) are safest per process.
export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Transformed (not loaded natively) so test/integration/ipc-transport.test.ts can mock `electron`.
    server: { deps: { inline: ['trpc-electron'] } },
  },
});
