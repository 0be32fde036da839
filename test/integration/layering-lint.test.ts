import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule in eslint.config.js, run through ESLint's Node API on fixture strings linted as
 * if they sat at real paths (VS Code's code-layering rule, enforced by the linter instead of review).
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const COMMON = 'src-main/checks/common/fixture.ts';
const RENDERER = 'src-renderer/lib/features/detect/fixture.ts';

describe('layering lint rule', () => {
  it.each([
    ["import fs from 'node:fs';", 'node built-in'],
    ["import path from 'path';", 'bare node built-in'],
    ["import { BrowserWindow } from 'electron';", 'electron'],
    ["import Database from 'better-sqlite3';", 'an npm package'],
    ["import { detect } from '../../detection/detector';", 'a non-common core module'],
    ["import { AppError } from '../../core/app-error';", 'core outside common/'],
    ["import { x } from '../../core/commonplace';", 'a folder that only starts like common'],
    ["export { BATCH_JOB } from '../batch-job';", 'a re-export of a non-common module'],
  ])('refuses %s in common/ (%s)', async (line) => {
    const errors = await layeringErrors(COMMON, `${line}\nexport const x = 1;\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Bad layering: common\//);
  });

  it('lets common/ import zod, its own folder, other common/ folders and any core type', async () => {
    const code = [
      "import { z } from 'zod';",
      "import { ROLE_LABELS } from './roles';",
      "import { MAX_FILE_BYTES } from '../../core/common/file-limits';",
      "import { JOB_KINDS } from '../../jobs/common/job-kinds';",
      "import { HUMAN_AUTHOR_ID } from '../../authorship/common';",
      "import type { DetectionResult } from '../../detection/types';",
      'export const x = [z, ROLE_LABELS, MAX_FILE_BYTES, JOB_KINDS, HUMAN_AUTHOR_ID] as unknown as DetectionResult;',
      '',
    ].join('\n');
    expect(await layeringErrors(COMMON, code)).toEqual([]);
  });

  it('lets tests beside common/ code use vitest and Node', async () => {
    const code = "import fs from 'node:fs';\nimport { it } from 'vitest';\nit('x', () => void fs);\n";
    expect(await layeringErrors('src-main/checks/common/roles.test.ts', code)).toEqual([]);
  });

  it('refuses a run-time import of core code outside common/ in the renderer', async () => {
    const errors = await layeringErrors(
      RENDERER,
      "import { renderReport } from '../../../../src-main/checks/report';\nexport const x = renderReport;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Bad layering: the renderer may import src-main at run time only from common\//);
  });

  it('lets the renderer import common/ modules at run time and core types from anywhere', async () => {
    const code = [
      "import { ROLE_LABELS } from '../../../../src-main/checks/common/roles';",
      "import { isHumanAuthor } from '../../../../src-main/authorship/common';",
      "import type { DetectionResult } from '../../../../src-main/detection';",
      'export const x = [ROLE_LABELS, isHumanAuthor] as unknown as DetectionResult;',
      '',
    ].join('\n');
    expect(await layeringErrors(RENDERER, code)).toEqual([]);
  });

  it('refuses node built-ins in the renderer', async () => {
    const errors = await layeringErrors(RENDERER, "import fs from 'node:fs';\nexport const x = fs;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/The renderer runs in a browser sandbox/);
  });
});
