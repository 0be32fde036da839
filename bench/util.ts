/** One benchmark result line, as DEVELOPERS.md specifies. `x` > 1 means better than the baseline. */
export interface BenchLine {
  bench: string;
  value: number;
  unit: string;
  baseline: string;
  baseline_value: number;
  x: number;
}

export function report(line: BenchLine): void {
  const round = (n: number) => Number(n.toPrecision(4));
  process.stdout.write(
    JSON.stringify({
      ...line,
      value: round(line.value),
      baseline_value: round(line.baseline_value),
      x: round(line.x),
    }) + '\n',
  );
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `fn` `reps` times after one warm-up and returns the median duration in ms. */
export async function timeMedian(reps: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}
