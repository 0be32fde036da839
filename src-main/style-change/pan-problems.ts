/**
 * PAN's multi-author analysis files: `problem-N.txt` (one unit per line; PAN's tools count units as
 * newlines + 1, so there is no trailing newline), `truth-problem-N.json` and
 * `solution-problem-N.json` ({"authors": n, "changes": [0/1 per consecutive pair]}).
 */
import { AppError } from '../core/app-error';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const panTruthSchema = z.object({
  authors: z.number().int().min(0),
  changes: z.array(z.union([z.literal(0), z.literal(1)])),
});
export type PanTruth = z.infer<typeof panTruthSchema>;

export interface PanProblem {
  /** `problem-N` (PAN's problem id, as its evaluator keys files). */
  id: string;
  units: string[];
  truth: PanTruth | null;
}

const PROBLEM_FILE = /^problem-(.+)\.txt$/;

/** The problems of a folder in natural order; truth files are read when present. */
export function readPanProblems(dir: string, options: { requireTruth?: boolean } = {}): PanProblem[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new AppError(
      'bad_request',
      `Cannot read the problems folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`,
    );
  }
  const files = names.filter((n) => PROBLEM_FILE.test(n)).sort(naturalOrder);
  if (files.length === 0) throw new AppError('bad_request', `There are no problem-N.txt files in ${dir}.`);
  return files.map((file) => {
    const id = file.slice(0, -'.txt'.length);
    const units = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    const truthPath = path.join(dir, `truth-${id}.json`);
    let truth: PanTruth | null = null;
    if (fs.existsSync(truthPath)) {
      const parsed = panTruthSchema.safeParse(safeJson(fs.readFileSync(truthPath, 'utf8')));
      if (!parsed.success)
        throw new AppError(
          'bad_request',
          `${truthPath} is not a PAN truth file ({"authors": n, "changes": [0/1, ...]}).`,
        );
      truth = parsed.data;
    } else if (options.requireTruth) {
      throw new AppError('bad_request', `${truthPath} is missing: training needs the truth of every problem.`);
    }
    return { id, units, truth };
  });
}

export function writePanSolution(outDir: string, id: string, solution: PanTruth): void {
  fs.writeFileSync(path.join(outDir, `solution-${id}.json`), JSON.stringify(solution));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
