/** Small terminal helpers for `palimpsest detect`: a stderr progress bar and a summary table. */

/** Progress on stderr: redraws in place on a TTY, sparse lines otherwise (logs stay readable). */
export class StderrProgress {
  private last = 0;
  private readonly started = Date.now();
  constructor(private readonly label: string) {}

  update(items: number, totalItems: number | null, bytes?: number, totalBytes?: number | null): void {
    const now = Date.now();
    const tty = process.stderr.isTTY === true;
    if (now - this.last < (tty ? 100 : 2000)) return;
    this.last = now;
    const frac = totalItems ? items / totalItems : bytes !== undefined && totalBytes ? bytes / totalBytes : null;
    const width = 24;
    const bar = frac !== null ? '█'.repeat(Math.round(Math.min(1, frac) * width)).padEnd(width, '░') : '';
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? (items / secs).toFixed(1) : '0';
    const eta = frac && frac > 0 ? ` ETA ${Math.round((secs / frac) * (1 - frac))}s` : '';
    const text = `${this.label} ${bar} ${items}${totalItems ? `/${totalItems}` : ''}${frac !== null ? ` (${Math.round(frac * 100)}%)` : ''} ${rate}/s${eta}`;
    process.stderr.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
  }

  done(items: number): void {
    const secs = (Date.now() - this.started) / 1000;
    const text = `${this.label}: ${items} done in ${secs.toFixed(1)}s`;
    process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }
}

/** Aligned plain-text table. */
export function formatTable(rows: readonly Record<string, string>[], columns: readonly string[]): string {
  const widths = columns.map((c) => Math.min(70, Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length))));
  const line = (vals: string[]): string =>
    vals
      .map((v, i) => v.slice(0, widths[i]).padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return (
    [
      line([...columns]),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.map((r) => line(columns.map((c) => r[c] ?? ''))),
    ].join('\n') + '\n'
  );
}
