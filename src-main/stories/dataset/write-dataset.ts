/**
 * Writes a dataset folder (stories.jsonl/.csv/.parquet, pan/{train,validation,test}, README.md).
 * Everything goes into a hidden folder beside DIR that is renamed to DIR only once complete, so a
 * failed export (full disk, no permission, cancel) leaves DIR as it was and nothing half written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/app-error';
import type { Story } from '../common/contract';
import type { AnalysisUnit } from '../../style-change/common/contract';
import { datasetCard } from './dataset-card';
import { storiesParquet } from './parquet';
import { SPLIT_NAMES, splitItems, type SplitName } from './split';
import { rowsToCsv, storyRow } from './story-rows';
import { panProblemText, storyUnits } from './story-units';

export interface DatasetOptions {
  dir: string;
  unit: AnalysisUnit;
  split: [number, number, number];
  seed: number;
  batchId: string | null;
}

export interface DatasetSummary {
  dir: string;
  stories: number;
  splits: Record<SplitName, number>;
  /** Stories left out of pan/ because they have no text. */
  emptyStories: number;
  unit: AnalysisUnit;
}

export interface DatasetHooks {
  progress?: (done: number, total: number, message: string) => void;
  signal?: AbortSignal;
  /** Test seam: every file goes through it (an injected failure stands in for a full disk). */
  writeFile?: (file: string, data: string | Uint8Array) => void;
}

/** Files a previous export has: replacing such a folder is allowed, any other non-empty one is not. */
const EXPORT_MARKERS = ['stories.jsonl', 'pan'];

export async function writeDataset(
  stories: readonly Story[],
  options: DatasetOptions,
  hooks: DatasetHooks = {},
): Promise<DatasetSummary> {
  const target = path.resolve(options.dir);
  checkTarget(target);
  const parent = path.dirname(target);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw ioError(`Cannot create ${parent}`, e);
  }
  removeStalePartials(parent, path.basename(target));
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = path.join(parent, `.${path.basename(target)}.partial-${stamp}`);
  try {
    fs.mkdirSync(tmp);
  } catch (e) {
    throw ioError(`Cannot write in ${parent}`, e);
  }
  const write = hooks.writeFile ?? ((file: string, data: string | Uint8Array) => fs.writeFileSync(file, data));
  const put = (rel: string, data: string | Uint8Array): void => {
    try {
      write(path.join(tmp, rel), data);
    } catch (e) {
      throw ioError(`Cannot write ${rel} of the export`, e);
    }
  };
  try {
    const total = stories.length * 2 + 1;
    let done = 0;
    const tick = (message: string): void => {
      hooks.signal?.throwIfAborted();
      hooks.progress?.(++done, total, message);
    };
    const rows = stories.map(storyRow);
    put('stories.jsonl', rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
    put('stories.csv', rowsToCsv(rows));
    put('stories.parquet', await storiesParquet(rows));
    for (const s of stories) tick(`Wrote story ${s.id}`);

    const withText = stories.filter((s) => s.parts.some((p) => p.text.trim() !== ''));
    const splits = splitItems(withText, options.split, options.seed);
    const ids: Record<string, Record<string, string>> = {};
    for (const name of SPLIT_NAMES) {
      fs.mkdirSync(path.join(tmp, 'pan', name), { recursive: true });
      ids[name] = {};
      splits[name].forEach((story, i) => {
        const id = `problem-${i + 1}`;
        const u = storyUnits(story, options.unit);
        put(path.join('pan', name, `${id}.txt`), panProblemText(u.units));
        put(path.join('pan', name, `truth-${id}.json`), JSON.stringify({ authors: u.authors, changes: u.changes }));
        ids[name]![id] = story.id;
        tick(`PAN ${name}/${id}`);
      });
    }
    put(path.join('pan', 'ids.json'), JSON.stringify(ids, null, 2));
    put(
      'README.md',
      datasetCard({
        stories,
        splits,
        unit: options.unit,
        split: options.split,
        seed: options.seed,
        batchId: options.batchId,
        exportedAt: new Date(),
      }),
    );
    for (let i = done; i < total - 1; i++) tick('Writing');
    hooks.signal?.throwIfAborted();
    replaceDir(tmp, target, stamp);
    hooks.progress?.(total, total, `Exported ${stories.length} stories to ${target}`);
    return {
      dir: target,
      stories: stories.length,
      splits: { train: splits.train.length, validation: splits.validation.length, test: splits.test.length },
      emptyStories: stories.length - withText.length,
      unit: options.unit,
    };
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Leftovers of an export killed mid-way (its process is gone): the job writes the folder again. */
function removeStalePartials(parent: string, base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.partial-(\\d+)-\\d+$`).exec(name);
    if (m && !processAlive(Number(m[1]))) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function checkTarget(target: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return; // does not exist yet
  }
  if (!stat.isDirectory()) throw new AppError('bad_request', `${target} exists and is not a folder.`);
  const entries = fs.readdirSync(target);
  if (entries.length > 0 && !EXPORT_MARKERS.every((m) => entries.includes(m))) {
    throw new AppError(
      'bad_request',
      `${target} is not empty and is not a previous export; choose an empty or new folder.`,
    );
  }
}

/** tmp → target; an existing target (empty, or a previous export) is swapped out, then removed. */
function replaceDir(tmp: string, target: string, stamp: string): void {
  try {
    if (fs.existsSync(target)) {
      const old = path.join(path.dirname(target), `.${path.basename(target)}.old-${stamp}`);
      fs.renameSync(target, old);
      try {
        fs.renameSync(tmp, target);
      } catch (e) {
        fs.renameSync(old, target);
        throw e;
      }
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, target);
    }
  } catch (e) {
    throw ioError(`Cannot move the export into ${target}`, e);
  }
}

function ioError(what: string, e: unknown): AppError {
  if (AppError.isInstance(e)) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : ((e as Error).message ?? String(e));
  return new AppError('bad_request', `${what}: ${why}. Nothing was exported.`, { code: code ?? null }, { cause: e });
}
