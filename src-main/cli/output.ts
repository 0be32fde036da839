import type { ZodError } from 'zod';
import { describeValidationIssues } from '../api/validation-message';
import { AppError } from '../core/app-error';
import { StoreError } from '../store/errors';

/** A failure the CLI reports in one line and exits 1 for (usage errors exit 2 via commander). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** One readable line for any error, without a stack unless PALIMPSEST_DEBUG is set. */
export function describeError(e: unknown): string {
  // Errors from the local tRPC caller wrap the service's error; zod issues read as one line.
  if (isTrpcError(e)) {
    if (isZodError(e.cause)) return describeIssues(e.cause);
    if (e.cause && (AppError.isInstance(e.cause) || StoreError.isInstance(e.cause))) return describeError(e.cause);
    return e.message;
  }
  if (AppError.isInstance(e) || StoreError.isInstance(e)) return e.userMessage;
  if (e instanceof CliError) return e.message;
  const user = (e as { userMessage?: unknown })?.userMessage;
  if (typeof user === 'string') return user;
  return process.env.PALIMPSEST_DEBUG ? String((e as Error)?.stack ?? e) : String((e as Error)?.message ?? e);
}

/** Prints rows as an aligned table (human) or JSON (scripts). */
export function printRows(rows: ReadonlyArray<object>, json: boolean | undefined, columns?: string[]): void {
  if (json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const records = rows as ReadonlyArray<Record<string, unknown>>;
  const cols = columns ?? Object.keys(records[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v)).replace(/\s+/g, ' ');
  const widths = cols.map((c) => Math.min(60, Math.max(c.length, ...records.map((r) => cell(r[c]).length))));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.slice(0, widths[i]).padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(line(cols) + '\n' + line(widths.map((w) => '-'.repeat(w))) + '\n');
  for (const r of records) process.stdout.write(line(cols.map((c) => cell(r[c]))) + '\n');
}

/** A progress bar on stderr that redraws in place on a TTY and prints sparse lines otherwise. */
export class ProgressBar {
  private lastLine = 0;
  private readonly started = Date.now();
  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}
  update(done: number, total: number | null, note = ''): void {
    const now = Date.now();
    const final = total !== null && done >= total;
    if (!final && now - this.lastLine < (this.stream.isTTY ? 100 : 2000)) return;
    this.lastLine = now;
    const elapsed = (now - this.started) / 1000;
    const pct = total ? Math.min(1, done / total) : 0;
    const eta = total && done > 0 ? Math.round((elapsed / done) * (total - done)) : null;
    const width = 24;
    const bar = total ? '█'.repeat(Math.round(pct * width)).padEnd(width, '░') : '';
    const text =
      `${this.label} ${bar} ${done}${total ? `/${total} (${Math.round(pct * 100)}%)` : ''}${eta !== null && !final ? ` ETA ${eta}s` : ''} ${note}`.slice(
        0,
        120,
      );
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${text}${final ? '\n' : ''}`);
    else this.stream.write(text + '\n');
  }
}

// By name, not instanceof: importing @trpc/server and zod here would load them for every `--help`.
const isTrpcError = (e: unknown): e is Error & { cause?: unknown } => e instanceof Error && e.name === 'TRPCError';
const isZodError = (e: unknown): e is ZodError =>
  e instanceof Error && e.name === 'ZodError' && Array.isArray((e as { issues?: unknown }).issues);

/** The same sentence the API's error formatter gives the UI ("The title is too long (at most 500 characters)."). */
export function describeIssues(e: ZodError): string {
  return describeValidationIssues(e.issues);
}
