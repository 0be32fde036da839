import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// Layering is enforced here, not by review (like VS Code's code-layering rule):
// only src-main/shell may import electron; a capability's common/ folder is pure TypeScript (no Node,
// no Electron, no packages but zod) that imports only other common/ modules at run time; the renderer
// may import src-main at run time only from common/ folders, and core types from anywhere.

/** A relative import that stays in the same folder or goes into some common/ folder. */
const COMMON_RELATIVE = String.raw`^(?!\./(?!\.)|(?:\.\./)+(?:[\w.-]+/)*common(?:/|$))\.\.?/`;
/** An import of src-main that is not inside a common/ folder. */
const MAIN_NOT_COMMON = String.raw`(?:^|/)src-main/(?!(?:[\w.-]+/)*common(?:/|$))`;

const layering = {
  common: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: String.raw`^(?!zod$|\.)`,
            message:
              'Bad layering: common/ is pure TypeScript shared with the renderer (no Node, Electron or packages but zod).',
          },
          {
            regex: COMMON_RELATIVE,
            allowTypeImports: true,
            message: 'Bad layering: common/ may import only other common/ modules at run time (types from anywhere).',
          },
        ],
      },
    ],
  },
  renderer: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['node:*', 'electron', 'better-sqlite3'], message: 'The renderer runs in a browser sandbox.' },
          {
            regex: MAIN_NOT_COMMON,
            allowTypeImports: true,
            message:
              'Bad layering: the renderer may import src-main at run time only from common/ folders (import type elsewhere).',
          },
        ],
      },
    ],
  },
};

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
    rules: layering.renderer,
  },
  // Tests beside common/ code run under Node (vitest); only the shipped modules must stay pure.
  { files: ['src-main/**/common/**/*.ts'], ignores: ['**/*.test.ts'], rules: layering.common },
);
