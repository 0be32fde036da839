/**
 * `palimpsest models` with a real local model: the id `models import` prints is the one `models list`
 * and the UI's `llm.installed` show and the one `models generate --model` runs on the local engine.
 * Needs the shared models folder: $PALIMPSEST_SHARED (default <repo>/../shared).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalCaller } from '../../src-main/api/router';
import { createApp } from '../../src-main/app';
import { registerModels } from '../../src-main/cli/commands/models';
import { runCommand } from '../helpers/run-command';
import { tempDir } from '../helpers/temp-dir';

const shared = process.env.PALIMPSEST_SHARED ?? resolve(import.meta.dirname, '../../../shared');
const modelDir = join(shared, 'models/stories260K');
const available = existsSync(join(modelDir, 'stories260K.bin')) && existsSync(join(modelDir, 'tok512.bin'));
if (!available)
  console.warn(`models CLI tests skipped: ${modelDir} not found (set PALIMPSEST_SHARED to the shared folder)`);

describe.skipIf(!available)('palimpsest models with stories260K', () => {
  it('imports, lists and generates under one model id, the one the UI lists', async () => {
    const dataDir = tempDir();
    const cli = (args: string[]) => runCommand(registerModels, dataDir, args);
    const imported = JSON.parse(
      await cli([
        '--json',
        'models',
        'import',
        join(modelDir, 'stories260K.bin'),
        '--tokenizer',
        join(modelDir, 'tok512.bin'),
      ]),
    );
    expect(imported).toMatchObject({ id: 'stories260K', architecture: 'llama', source: 'import' });

    const listed = JSON.parse(await cli(['--json', 'models', 'list', '--no-probe']));
    const app = createApp({ dataDir, startJobs: false });
    try {
      const ui = await createLocalCaller({ app, transport: 'local' }).llm.installed();
      expect(listed.installed).toEqual(JSON.parse(JSON.stringify(ui)));
      expect(ui.map((m) => m.id)).toEqual(['stories260K']);
    } finally {
      await app.dispose();
    }

    const out = JSON.parse(
      await cli([
        '--json',
        'models',
        'generate',
        '--model',
        imported.id,
        '--completion',
        '--temperature',
        '0',
        '--max-tokens',
        '6',
        '--stop',
        'zzz',
        'Once upon a time',
      ]),
    );
    expect(out).toMatchObject({ finish: { reason: 'length', usage: { completionTokens: 6 } } });
    expect(out.text.length).toBeGreaterThan(0);
  });
});
