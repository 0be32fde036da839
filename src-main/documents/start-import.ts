import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/app-error';
import type { JobRecord, JobRunner } from '../jobs';
import { JOB_KINDS } from '../jobs/common/job-kinds';
import { readTextFile } from './text-files';

/**
 * Queues a `documents.import` job (import-job.ts) for absolute `paths` (files, or one folder).
 * Fails at once, before anything is queued, on a path that does not exist and on a single file
 * that cannot be imported.
 */
export function startImport(jobs: JobRunner, paths: readonly string[]): JobRecord {
  for (const p of paths) {
    if (!path.isAbsolute(p)) throw new AppError('bad_request', `${p} is not an absolute path.`);
    if (!fs.existsSync(p)) throw new AppError('not_found', `${p} does not exist.`);
  }
  if (paths.length === 1 && fs.statSync(paths[0]!).isFile()) readTextFile(paths[0]!);
  return jobs.enqueue(JOB_KINDS.documentsImport, { paths });
}
