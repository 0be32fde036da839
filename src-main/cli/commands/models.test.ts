import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GgmlType, writeGguf } from '../../llm/gguf';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../llm/openai/fake-openai-server';
import { sha256Hex, startTestFileServer, type TestFileServer } from '../../llm/download/test-file-server';
import { runCommand } from '../../../test/helpers/run-command';
import { registerModels } from './models';

const cli = (dataDir: string, args: string[]) => runCommand(registerModels, dataDir, args);

describe('palimpsest models', () => {
  let dataDir: string;
  let files: TestFileServer;
  let llm: FakeOpenAiServer;
  const content = Buffer.from('GGUF-not-really but bytes are bytes'.repeat(1000));
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-cli-models-'));
    files = await startTestFileServer(content);
    llm = await startFakeOpenAiServer();
  });
  afterEach(async () => {
    await Promise.all([files.close(), llm.close()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the catalog, marks unverified entries, and shows no endpoints yet', async () => {
    const out = JSON.parse(await cli(dataDir, ['--json', 'models', 'list', '--no-probe']));
    expect(out.catalog.length).toBeGreaterThanOrEqual(9);
    const unverified = out.catalog.filter((e: { sha256: string | null }) => e.sha256 === null);
    for (const e of unverified) expect(e.verification).toMatch(/^UNVERIFIED/);
    expect(out.installed).toEqual([]);
    expect(out.endpoints).toEqual([]);
  });

  it('pulls a URL with a checksum, then lists it as installed', async () => {
    const out = JSON.parse(
      await cli(dataDir, [
        '--json',
        'models',
        'pull',
        files.url,
        '--sha256',
        sha256Hex(content),
        '--file',
        'tiny.gguf',
      ]),
    );
    expect(out).toMatchObject({ id: 'tiny', bytes: content.length, verified: true });
    const list = JSON.parse(await cli(dataDir, ['--json', 'models', 'list', '--no-probe']));
    expect(list.installed).toMatchObject([{ id: 'tiny', verified: true, present: true }]);
  });

  it('imports a .gguf after validating it, and refuses a file that is not GGUF', async () => {
    const src = path.join(dataDir, 'src.gguf');
    await writeGguf(
      src,
      [{ key: 'general.architecture', type: 'string', value: 'llama' }],
      [{ name: 't', dims: [4], type: GgmlType.F32, read: async () => new Uint8Array(16) }],
    );
    const out = JSON.parse(await cli(dataDir, ['--json', 'models', 'import', src, '--name', 'mine']));
    expect(out).toMatchObject({ id: 'mine', source: 'import', verified: false });
    expect(fs.existsSync(path.join(dataDir, 'models', 'mine.gguf'))).toBe(true);
    const bad = path.join(dataDir, 'bad.gguf');
    fs.writeFileSync(bad, '<html>not a model</html>');
    await expect(cli(dataDir, ['models', 'import', bad])).rejects.toThrow(/not a usable GGUF/);
    expect(fs.existsSync(path.join(dataDir, 'models', 'bad.gguf'))).toBe(false);
  });

  it('generates via an endpoint and via an author, streaming to stdout', async () => {
    process.env.PALIMPSEST_TEST_KEY = 'sk-cli-test-key';
    await cli(dataDir, ['models', 'endpoints', 'add', 'lab', llm.baseUrl, '--api-key-env', 'PALIMPSEST_TEST_KEY']);
    const text = await cli(dataDir, [
      'models',
      'generate',
      '--provider',
      'endpoint:lab',
      '--model',
      'fake-model',
      '--max-tokens',
      '8',
      'Hello',
      'there',
    ]);
    expect(text).toBe('Once upon a time\n');
    expect(llm.requests.at(-1)).toMatchObject({
      headers: { authorization: 'Bearer sk-cli-test-key' },
      body: { max_tokens: 8, messages: [{ role: 'user', content: 'Hello there' }] },
    });
    const author = JSON.parse(
      await cli(dataDir, [
        '--json',
        'models',
        'authors',
        'add',
        'Muse',
        '--provider',
        'endpoint:lab',
        '--model',
        'fake-model',
        '--system',
        'Be gothic.',
      ]),
    );
    const json = JSON.parse(await cli(dataDir, ['--json', 'models', 'generate', '--author', author.id, 'Go']));
    expect(json).toMatchObject({ text: 'Once upon a time', finish: { reason: 'stop' } });
    expect(llm.requests.at(-1)!.body!.messages).toEqual([
      { role: 'system', content: 'Be gothic.' },
      { role: 'user', content: 'Go' },
    ]);
    delete process.env.PALIMPSEST_TEST_KEY;
  });
});
