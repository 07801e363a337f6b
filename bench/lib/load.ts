/** The load generator and the figures both launch benchmarks share. */
export interface Figures {
  launches: number;
  errors: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  firstError?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Number((sorted[Math.max(0, index)] as number).toFixed(2));
}

/** `count` runs of `task` by `concurrency` workers; latencies of the successful runs, errors counted. */
export async function runLoad(count: number, concurrency: number, task: () => Promise<void>): Promise<Figures> {
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const t = performance.now();
        try {
          await task();
          latencies.push(performance.now() - t);
        } catch (err) {
          errors += 1;
          firstError ??= String((err as Error).message ?? err).slice(0, 300);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    launches: count,
    errors,
    concurrency,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Number((latencies.length / seconds).toFixed(1)),
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    ...(firstError ? { firstError } : {}),
  };
}

/** Several rounds of the same load merged: launches/s over the total time, percentiles over all samples. */
export function merge(rounds: Figures[]): Figures & { rounds: number } {
  const seconds = rounds.reduce((a, r) => a + r.seconds, 0);
  const ok = rounds.reduce((a, r) => a + r.launches - r.errors, 0);
  const median = (key: 'p50' | 'p90' | 'p99' | 'max') => {
    const v = rounds.map((r) => r[key]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)] as number;
  };
  return {
    rounds: rounds.length,
    launches: rounds.reduce((a, r) => a + r.launches, 0),
    errors: rounds.reduce((a, r) => a + r.errors, 0),
    concurrency: rounds[0]?.concurrency ?? 0,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Number((ok / seconds).toFixed(1)),
    p50: median('p50'),
    p90: median('p90'),
    p99: median('p99'),
    max: Math.max(...rounds.map((r) => r.max)),
    ...(rounds.find((r) => r.firstError) ? { firstError: rounds.find((r) => r.firstError)?.firstError } : {}),
  };
}
