import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// Layering is enforced here, not by review (like VS Code's code-layering rule):
// only src-main/shell may import electron; the renderer may import core types only.
export default ts.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'models/**/*.onnx'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src-main/shell may import electron: the core is plain Node.' }],
          patterns: [
            { group: ['**/shell/**', '**/shell'], message: 'The core must not depend on the Electron shell.' },
            { group: ['**/src-renderer/**'], message: 'The core must not import UI code.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte', 'src-renderer/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron', 'better-sqlite3'], message: 'The renderer runs in a browser sandbox.' },
            {
              group: ['**/src-main/**'],
              allowTypeImports: true,
              message: 'The renderer may import core types only (import type).',
            },
          ],
        },
      ],
    },
  },
);
