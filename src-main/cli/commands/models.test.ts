import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GgmlType, writeGguf } from '../../llm/gguf';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../llm/openai/fake-openai-server';
import { sha256Hex, startTestFileServer, type TestFileServer } from '../../llm/download/test-file-server';
import { runCommand } from '../../../test/helpers/run-command';
import { registerJobs as registerJobsForTest } from './jobs';
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
    // The same list as the UI's (llm.installed): the file on disk, with how it came. This one is
    // not a real GGUF, so the library says why it cannot be used.
    const list = JSON.parse(await cli(dataDir, ['--json', 'models', 'list', '--no-probe']));
    expect(list.installed).toMatchObject([
      { id: 'tiny', fileName: 'tiny.gguf', source: 'url', verified: true, error: expect.any(String) },
    ]);
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
    await expect(cli(dataDir, ['models', 'import', bad])).rejects.toThrow(/not a GGUF model/);
    expect(fs.existsSync(path.join(dataDir, 'models', 'bad.gguf'))).toBe(false);
    // The import went through the service: no temporary name is left, and the list (the UI's) shows it.
    expect(fs.readdirSync(path.join(dataDir, 'models'))).toEqual(['mine.gguf']);
    const list = JSON.parse(await cli(dataDir, ['--json', 'models', 'list', '--no-probe']));
    expect(list.installed).toMatchObject([{ id: 'mine', source: 'import', architecture: 'llama' }]);
    // The service's file-name rule applies to --name too.
    const odd = JSON.parse(await cli(dataDir, ['--json', 'models', 'import', src, '--name', 'my model!']));
    expect(odd).toMatchObject({ id: 'my-model-', fileName: 'my-model-.gguf' });
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

  it('takes repeated --stop flags without swallowing the prompt after them', async () => {
    await cli(dataDir, ['models', 'endpoints', 'add', 'lab', llm.baseUrl]);
    const text = await cli(dataDir, [
      'models',
      'generate',
      '--provider',
      'endpoint:lab',
      '--model',
      'fake-model',
      '--stop',
      'bird',
      '--stop',
      'cat',
      'Once upon a time',
    ]);
    expect(text).toBe('Once upon a time\n');
    expect(llm.requests.at(-1)!.body).toMatchObject({
      stop: ['bird', 'cat'],
      messages: [{ role: 'user', content: 'Once upon a time' }],
    });
  });

  it('generates on an ad-hoc --base-url through the API, recording it without the key', async () => {
    process.env.PALIMPSEST_TEST_KEY = 'sk-ad-hoc-key';
    const json = JSON.parse(
      await cli(dataDir, [
        '--json',
        'models',
        'generate',
        '--base-url',
        llm.baseUrl,
        '--api-key-env',
        'PALIMPSEST_TEST_KEY',
        '--model',
        'fake-model',
        '--system',
        'Be brief.',
        'Go',
      ]),
    );
    delete process.env.PALIMPSEST_TEST_KEY;
    expect(json).toMatchObject({ text: 'Once upon a time', finish: { reason: 'stop' } });
    expect(llm.requests.at(-1)).toMatchObject({
      headers: { authorization: 'Bearer sk-ad-hoc-key' },
      body: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Go' },
        ],
      },
    });
    // The generation log (the same one the UI reads) has it, under the server's URL.
    const { createApp } = await import('../../app');
    const app = createApp({ dataDir, startJobs: false });
    try {
      const [g] = app.llm.listGenerations({ limit: 1 });
      expect(g).toMatchObject({ authorId: null, provider: llm.baseUrl, model: 'fake-model', finishReason: 'stop' });
      expect(JSON.stringify(g)).not.toContain('sk-ad-hoc-key');
    } finally {
      await app.dispose();
    }
  });

  it('pulls through the models.download job the UI uses and refuses a second copy', async () => {
    const args = ['--json', 'models', 'pull', files.url, '--file', 'again.gguf'];
    await cli(dataDir, args);
    const jobs = JSON.parse(await runCommand(registerJobsForTest, dataDir, ['--json', 'jobs', 'list']));
    expect(jobs).toMatchObject([{ kind: 'models.download', status: 'succeeded', payload: { fileName: 'again.gguf' } }]);
    await expect(cli(dataDir, args)).rejects.toThrow(/already installed/);
  });
});
