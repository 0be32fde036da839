// `npm run bench -- authoring`: authoring.apply (edits/s through the `docs apply` path) and
// authoring.verify (ms to verify 100,000 events). `authoring.keystroke_100k` (editor latency) is the
// editor's: bench/authoring-keystroke.ts, listed beside this file in run.ts and skipped when absent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src-main/app';
import { createLocalCaller } from '../src-main/api/router';
import { eventHash, GENESIS_SEED, sha256Hex, type Edit, type ProvenanceEvent } from '../src-main/authoring';
import { readEditsFile } from '../src-main/cli/commands/authoring-edits-file';
import { report } from './util';

const APPLY_EDITS = 10_000;
const BASELINE_EDITS = 1_000;
const VERIFY_EVENTS = 100_000;

/** A keystroke-log-like stream: mostly typing at a moving cursor, some backspaces, model insertions. */
function editStream(n: number): Edit[] {
  const edits: Edit[] = [];
  let length = 0;
  let cursor = 0;
  let seed = 7;
  const rnd = (m: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % m;
  for (let i = 0; i < n; i++) {
    if (rnd(50) === 0) cursor = rnd(length + 1);
    const r = rnd(20);
    if (r === 0 && length > 0 && cursor > 0) {
      edits.push({
        author: 'Ann',
        kind: 'human',
        operation: 'delete',
        from: cursor - 1,
        to: cursor,
        insert: '',
        at: i,
      });
      cursor--;
      length--;
    } else if (r === 1) {
      const text = ' the model wrote this';
      edits.push({
        author: 'bot',
        kind: 'model',
        operation: 'generate',
        from: cursor,
        to: cursor,
        insert: text,
        at: i,
      });
      cursor += text.length;
      length += text.length;
    } else {
      edits.push({ author: 'Ann', kind: 'human', operation: 'type', from: cursor, to: cursor, insert: 'e', at: i });
      cursor++;
      length++;
    }
  }
  return edits;
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palimpsest-bench-authoring-'));
  const app = createApp({ dataDir: dir, startJobs: false });
  const api = createLocalCaller({ app, transport: 'local' });
  try {
    // authoring.apply: read + validate the JSONL file, then one applyEdits call (one transaction).
    const edits = editStream(APPLY_EDITS);
    const file = path.join(dir, 'edits.jsonl');
    fs.writeFileSync(file, edits.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const rates: number[] = [];
    for (let round = 0; round < 3; round++) {
      const doc = await api.documents.create({ title: 'bench' });
      const t0 = performance.now();
      const parsed = await readEditsFile(file);
      await api.authoring.applyEdits({ documentId: doc.id, edits: parsed.edits });
      rates.push(APPLY_EDITS / ((performance.now() - t0) / 1000));
    }
    // Baseline: the same edits, one applyEdits call (one transaction) each, as an autosave per keystroke would.
    const one = await api.documents.create({ title: 'baseline' });
    const t1 = performance.now();
    for (const e of edits.slice(0, BASELINE_EDITS)) await api.authoring.applyEdits({ documentId: one.id, edits: [e] });
    const baseRate = BASELINE_EDITS / ((performance.now() - t1) / 1000);
    const rate = [...rates].sort((a, b) => a - b)[1]!;
    report({
      bench: 'authoring.apply',
      value: rate,
      unit: 'edits/s',
      baseline: `the same edits applied one per transaction (first ${BASELINE_EDITS})`,
      baseline_value: baseRate,
      x: rate / baseRate,
    });

    // authoring.verify: 100,000 events in one document.
    const big = await api.documents.create({ title: 'verify' });
    const stream = editStream(VERIFY_EVENTS);
    for (let i = 0; i < stream.length; i += 20_000) {
      await api.authoring.applyEdits({ documentId: big.id, edits: stream.slice(i, i + 20_000) });
    }
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      const r = await api.authoring.verify({ documentId: big.id });
      times.push(performance.now() - t0);
      if (!r.ok || r.events !== VERIFY_EVENTS) throw new Error(`verify failed: ${JSON.stringify(r.firstBad)}`);
    }
    const ms = [...times].sort((a, b) => a - b)[1]!;
    // The baseline reads the same log (through bundle, which reads it once) before its naive loop.
    const tRead = performance.now();
    const events = app.authoring.bundle(big.id).events;
    const readMs = performance.now() - tRead;
    const naive = readMs + naiveVerifyMs(big.id, events, app.authoring.document(big.id).text);
    report({
      bench: 'authoring.verify',
      value: ms,
      unit: 'ms',
      baseline: 'naive: read the log, re-hash each event and rebuild the text as one flat string per event',
      baseline_value: naive,
      x: naive / ms,
    });
  } finally {
    await app.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The obvious verifier: hash check plus `text = text.slice(0, from) + insert + text.slice(to)` per event. */
function naiveVerifyMs(documentId: string, events: readonly ProvenanceEvent[], expected: string): number {
  const t0 = performance.now();
  let prev = sha256Hex(GENESIS_SEED);
  let text = '';
  for (const e of events) {
    if (e.prevHash !== prev || eventHash(sha256Hex, documentId, e) !== e.hash) throw new Error('naive: bad chain');
    if (text.slice(e.from, e.to) !== e.deleted) throw new Error('naive: bad replay');
    text = text.slice(0, e.from) + e.insert + text.slice(e.to);
    prev = e.hash;
  }
  if (text !== expected) throw new Error('naive: text differs');
  return performance.now() - t0;
}
